package dev.callbacks.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.callbacks.usage.ModelPrices;
import dev.callbacks.usage.TokenUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The callbacks.pricing properties: cache-write prices, tiers, the LiteLLM map. */
@ExtendWith(OutputCaptureExtension.class)
class CallbacksPricingAutoConfigurationTests {

	private static final String MODEL = "callbacks.pricing.models.[my-model].";

	private static final String SAMPLE_MAP = "callbacks.pricing.litellm-map=classpath:dev/callbacks/usage/litellm-sample.json";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CallbacksAutoConfiguration.class));

	@Test
	void cacheWritePricesAndATierBindFromTheAgreedPropertyNames() {
		this.contextRunner
			.withPropertyValues(MODEL + "prompt=3", MODEL + "completion=15", MODEL + "cached-prompt=0.30",
					MODEL + "cache-write=3.75", MODEL + "cache-write-1h=6", MODEL + "tier.above-prompt-tokens=200000",
					MODEL + "tier.prompt=6", MODEL + "tier.completion=22.50", MODEL + "tier.cached-prompt=0.60",
					MODEL + "tier.cache-write=7.50", MODEL + "tier.cache-write-1h=12")
			.run(context -> {
				ModelPrices.Price price = context.getBean(ModelPrices.class).lookup("my-model");
				assertThat(price).isNotNull();
				assertThat(price.cacheWrite()).isEqualByComparingTo("3.75");
				assertThat(price.cacheWrite1h()).isEqualByComparingTo("6");
				ModelPrices.Tier tier = price.tier();
				assertThat(tier).isNotNull();
				assertThat(tier.abovePromptTokens()).isEqualTo(200_000);
				assertThat(tier.cacheWrite1h()).isEqualByComparingTo("12");
				// 30 new x 3 + 1,200 one-hour writes x 6
				assertThat(price.cost(new TokenUsage(1_230, 0, 1_230, 0, 1_200, 1_200, 0, false)))
					.isEqualByComparingTo("0.00729");
			});
	}

	@Test
	void negativeCacheWritePriceFailsStartUpNamingTheProperty() {
		this.contextRunner.withPropertyValues(MODEL + "prompt=3", MODEL + "completion=15", MODEL + "cache-write-1h=-6")
			.run(context -> assertFailure(context, MODEL + "cache-write-1h", "must not be negative"));
	}

	@Test
	void tierWithoutThresholdFailsStartUpNamingTheProperty() {
		this.contextRunner
			.withPropertyValues(MODEL + "prompt=3", MODEL + "completion=15", MODEL + "tier.prompt=6",
					MODEL + "tier.completion=22.50")
			.run(context -> assertFailure(context, MODEL + "tier.above-prompt-tokens", "a tier needs"));
	}

	@Test
	void incompleteTierFailsStartUpNamingTheMissingProperty() {
		this.contextRunner
			.withPropertyValues(MODEL + "prompt=3", MODEL + "completion=15", MODEL + "tier.above-prompt-tokens=200000",
					MODEL + "tier.prompt=6")
			.run(context -> assertFailure(context, MODEL + "tier.completion", "tier.prompt and tier.completion"));
	}

	@Test
	void nonPositiveThresholdFailsStartUpNamingTheProperty() {
		this.contextRunner
			.withPropertyValues(MODEL + "prompt=3", MODEL + "completion=15", MODEL + "tier.above-prompt-tokens=0",
					MODEL + "tier.prompt=6", MODEL + "tier.completion=22.50")
			.run(context -> assertFailure(context, MODEL + "tier.above-prompt-tokens", "must be positive"));
	}

	@Test
	void cacheWritePriceWithoutPromptFailsStartUpNamingTheMissingProperty() {
		this.contextRunner.withPropertyValues(MODEL + "cache-write=3.75")
			.run(context -> assertFailure(context, MODEL + "prompt", "both prompt and completion"));
	}

	@Test
	void theLiteLlmMapIsLaidOverTheBundledTableAndTheModelsOverBoth(@TempDir Path dir) throws IOException {
		Path map = dir.resolve("prices.json");
		Files.writeString(map, """
				{
				    "gpt-4o-mini": {
				        "input_cost_per_token": 1e-06,
				        "output_cost_per_token": 2e-06,
				        "litellm_provider": "openai",
				        "mode": "chat"
				    },
				    "anthropic/claude-fable-5": {
				        "cache_creation_input_token_cost": 1.25e-05,
				        "cache_creation_input_token_cost_above_1hr": 2e-05,
				        "cache_read_input_token_cost": 1e-06,
				        "input_cost_per_token": 1e-05,
				        "litellm_provider": "anthropic",
				        "mode": "chat",
				        "output_cost_per_token": 5e-05
				    }
				}
				""", StandardCharsets.UTF_8);
		this.contextRunner
			.withPropertyValues("callbacks.pricing.litellm-map=file:" + map,
					"callbacks.pricing.models.[claude-fable-5].prompt=11",
					"callbacks.pricing.models.[claude-fable-5].completion=55")
			.run(context -> {
				ModelPrices prices = context.getBean(ModelPrices.class);
				// the map over the bundled table (which has 0.15 / 0.60)
				assertThat(prices.lookup("gpt-4o-mini-2024-07-18").prompt()).isEqualByComparingTo("1");
				// the property over the map
				assertThat(prices.lookup("claude-fable-5").prompt()).isEqualByComparingTo("11");
				assertThat(prices.lookup("anthropic/claude-fable-5").prompt()).isEqualByComparingTo("10");
				// the bundled table where neither has the model
				assertThat(prices.lookup("gemini-2.5-pro")).isNotNull();
			});
	}

	@Test
	void theLiteLlmMapLoadsFromTheClassPath() {
		this.contextRunner.withPropertyValues(SAMPLE_MAP).run(context -> {
			ModelPrices prices = context.getBean(ModelPrices.class);
			assertThat(prices.lookup("deepseek-r1").cachedPrompt()).isEqualByComparingTo("0.14");
			assertThat(prices.lookup("claude-sonnet-4-5-20250929").tier()).isNotNull();
		});
	}

	@Test
	void oneInfoLineSaysWhichTablesAreInForce(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues(SAMPLE_MAP, MODEL + "prompt=1", MODEL + "completion=2",
					"callbacks.pricing.models.[other].prompt=1", "callbacks.pricing.models.[other].completion=2")
			.run(context -> {
				assertThat(context).hasNotFailed();
				String line = output.getAll()
					.lines()
					.filter(l -> l.contains("Model prices (USD per 1M tokens)"))
					.reduce((a, b) -> a + "\n" + b)
					.orElse("");
				assertThat(line).doesNotContain("\n")
					.contains("INFO")
					.contains("bundled table of " + ModelPrices.bundledTableDate())
					.contains("over it the LiteLLM map class path resource [dev/callbacks/usage/litellm-sample.json]")
					.containsPattern("modified \\d{4}-\\d{2}-\\d{2}T")
					.contains("14 models read, 4 not chat or unpriced skipped")
					.contains("over both 2 models from callbacks.pricing.models");
			});
	}

	@Test
	void aMissingLiteLlmMapFailsStartUpNamingTheProperty(@TempDir Path dir) {
		this.contextRunner.withPropertyValues("callbacks.pricing.litellm-map=file:" + dir.resolve("missing.json"))
			.run(context -> assertFailure(context, "callbacks.pricing.litellm-map", "does not exist"));
	}

	@Test
	void aBrokenLiteLlmMapFailsStartUpNamingTheProperty(@TempDir Path dir) throws IOException {
		Path map = dir.resolve("prices.json");
		Files.writeString(map, "{\"gpt-x\": {\"input_cost_per_token\": \"cheap\", \"output_cost_per_token\": 1}}");
		this.contextRunner.withPropertyValues("callbacks.pricing.litellm-map=file:" + map)
			.run(context -> assertFailure(context, "callbacks.pricing.litellm-map",
					"model 'gpt-x', field 'input_cost_per_token': not a number"));
		Files.writeString(map, "{ \"gpt-x\": ");
		this.contextRunner.withPropertyValues("callbacks.pricing.litellm-map=file:" + map)
			.run(context -> assertFailure(context, "callbacks.pricing.litellm-map", "is not valid JSON"));
	}

	private static void assertFailure(AssertableApplicationContext context, String property, String reason) {
		assertThat(context).hasFailed();
		assertThat(context.getStartupFailure()).rootCause()
			.isInstanceOf(InvalidConfigurationPropertyValueException.class)
			.hasMessageContaining("Property " + property + " with value")
			.hasMessageContaining(reason);
	}

}
