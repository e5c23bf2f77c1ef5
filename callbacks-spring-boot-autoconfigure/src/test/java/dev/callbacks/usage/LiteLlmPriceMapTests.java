package dev.callbacks.usage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Reading a price map in LiteLLM's format (a small excerpt in the real format). */
class LiteLlmPriceMapTests {

	private static LiteLlmPriceMap map;

	@BeforeAll
	static void read() throws IOException {
		try (InputStream in = LiteLlmPriceMapTests.class.getResourceAsStream("litellm-sample.json")) {
			assertThat(in).isNotNull();
			map = LiteLlmPriceMap.read(in, "litellm-sample.json");
		}
	}

	@Test
	void perTokenPricesBecomeExactPerMillionPrices() {
		ModelPrices.Price sonnet = price("claude-sonnet-4-5-20250929");
		assertThat(sonnet.prompt()).isEqualByComparingTo("3");
		assertThat(sonnet.completion()).isEqualByComparingTo("15");
		assertThat(sonnet.cachedPrompt()).isEqualByComparingTo("0.3");
		assertThat(sonnet.cacheWrite()).isEqualByComparingTo("3.75");
		assertThat(sonnet.cacheWrite1h()).isEqualByComparingTo("6");
		// not rounded through a double
		assertThat(price("databricks/databricks-meta-llama-3-1-405b-instruct").completion())
			.isEqualByComparingTo("15.000020000000002");
		assertThat(price("databricks/databricks-meta-llama-3-1-405b-instruct").prompt())
			.isEqualByComparingTo("5.00003");
	}

	@Test
	void tiersAboveAPromptSize() {
		ModelPrices.Tier sonnet = tier("claude-sonnet-4-5-20250929");
		assertThat(sonnet.abovePromptTokens()).isEqualTo(200_000);
		assertThat(sonnet.prompt()).isEqualByComparingTo("6");
		assertThat(sonnet.completion()).isEqualByComparingTo("22.5");
		assertThat(sonnet.cachedPrompt()).isEqualByComparingTo("0.6");
		assertThat(sonnet.cacheWrite()).isEqualByComparingTo("7.5");
		assertThat(sonnet.cacheWrite1h()).isEqualByComparingTo("12");

		ModelPrices.Tier gpt = tier("gpt-5.4");
		assertThat(gpt.abovePromptTokens()).isEqualTo(272_000);
		assertThat(gpt.prompt()).isEqualByComparingTo("5");
		assertThat(gpt.cachedPrompt()).isEqualByComparingTo("0.5");

		// only the input price rises: the output keeps its price
		ModelPrices.Tier gemini15 = tier("gemini/gemini-1.5-pro-002");
		assertThat(gemini15.abovePromptTokens()).isEqualTo(128_000);
		assertThat(gemini15.prompt()).isEqualByComparingTo("2.5");
		assertThat(gemini15.completion()).isEqualByComparingTo("5");

		assertThat(price("claude-haiku-4-5").tier()).isNull();
	}

	@Test
	void deepSeekCacheHitPriceIsTheCacheReadPrice() {
		assertThat(price("deepseek/deepseek-r1").cachedPrompt()).isEqualByComparingTo("0.14");
	}

	@Test
	void onlyChatModelsWithInputAndOutputPricesAreRead() {
		assertThat(map.prices()).doesNotContainKeys("sample_spec", "text-embedding-3-small", "1024-x-1024/dall-e-2",
				"dataforseo/search", "cloudflare/@cf/meta/llama-2-7b-chat-fp16");
		// responses and (legacy) completion models are priced like chat
		assertThat(map.prices()).containsKeys("gpt-5.5-pro", "gpt-3.5-turbo-instruct");
		assertThat(map.models()).isEqualTo(14);
		assertThat(map.skipped()).isEqualTo(4);
	}

	@Test
	void providerPrefixedKeysAlsoPriceTheBareNameWhenUnambiguous() {
		assertThat(price("gemini-3.1-pro-preview")).isEqualTo(price("gemini/gemini-3.1-pro-preview"));
		assertThat(price("deepseek-r1")).isEqualTo(price("deepseek/deepseek-r1"));
		// a key without prefix keeps its own price (the Azure regions differ)
		assertThat(price("gpt-5.4").prompt()).isEqualByComparingTo("2.5");
		assertThat(price("gpt-5.4").tier()).isNotNull();
		// two prefixed keys that disagree leave the bare name unpriced
		assertThat(map.prices()).containsKeys("azure/gpt-4o-2024-11-20", "azure/eu/gpt-4o-2024-11-20")
			.doesNotContainKey("gpt-4o-2024-11-20");
		assertThat(map.prices()).hasSize(19);
	}

	@Test
	void laidOverTheBundledTableTheMapPricesWhatItHas() {
		ModelPrices prices = ModelPrices.defaults().with(map.prices());
		assertThat(prices.lookup("GigaChat-2-Max")).isNotNull();
		assertThat(prices.lookup("gemini-3.1-pro-preview").tier().prompt()).isEqualByComparingTo("4");
		// still priced by the bundled table
		assertThat(prices.lookup("mistral-large-2512")).isNotNull();
	}

	@Test
	void aBrokenMapNamesTheModelAndTheField() {
		assertThatIllegalArgumentException().isThrownBy(() -> read("{ not json"))
			.withMessageContaining("prices.json is not valid JSON");
		assertThatIllegalArgumentException().isThrownBy(() -> read("[1, 2]"))
			.withMessageContaining("not a LiteLLM price map");
		assertThatIllegalArgumentException().isThrownBy(() -> read("{\"gpt-x\": 3}"))
			.withMessageContaining("model 'gpt-x' is not a JSON object");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> read("{\"gpt-x\": {\"mode\": \"chat\", \"input_cost_per_token\": -1e-06, "
					+ "\"output_cost_per_token\": 1e-06}}"))
			.withMessageContaining("model 'gpt-x', field 'input_cost_per_token'")
			.withMessageContaining("must not be negative");
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> read("{\"gpt-x\": {\"input_cost_per_token\": \"cheap\", \"output_cost_per_token\": 1e-06}}"))
			.withMessageContaining("model 'gpt-x', field 'input_cost_per_token': not a number");
	}

	private static LiteLlmPriceMap read(String json) {
		return LiteLlmPriceMap.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "prices.json");
	}

	private static ModelPrices.Price price(String model) {
		ModelPrices.Price price = map.prices().get(model);
		assertThat(price).as(model).isNotNull();
		return price;
	}

	private static ModelPrices.Tier tier(String model) {
		ModelPrices.Tier tier = price(model).tier();
		assertThat(tier).as(model).isNotNull();
		return tier;
	}

}
