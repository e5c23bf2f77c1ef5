package dev.callbacks.usage;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The bundled table: its format, its date, and rules its rows must keep. */
class BundledPriceTableTests {

	private static final BigDecimal TWO = BigDecimal.valueOf(2);

	private final Map<String, ModelPrices.Price> prices = ModelPrices.defaults().prices();

	@Test
	void theTableIsDated() {
		assertThat(ModelPrices.bundledTableDate()).matches("\\d{4}-\\d{2}-\\d{2}");
	}

	@Test
	void anthropicRowsFollowThePublishedMultipliers() {
		// Cache reads 0.1x, 5-minute writes 1.25x, 1-hour writes 2x the input price.
		// Claude
		// Haiku 3's prices on Anthropic's page are rounded (read 0.03, 5-minute write
		// 0.30).
		assertThat(this.prices.keySet()).anyMatch(model -> model.startsWith("claude-"));
		this.prices.forEach((model, price) -> {
			if (!model.startsWith("claude-")) {
				return;
			}
			assertThat(price.cacheWrite1h()).as(model).isEqualByComparingTo(price.prompt().multiply(TWO));
			if (!model.equals("claude-3-haiku")) {
				assertThat(price.cachedPrompt()).as(model)
					.isEqualByComparingTo(price.prompt().multiply(new BigDecimal("0.1")));
				assertThat(price.cacheWrite()).as(model)
					.isEqualByComparingTo(price.prompt().multiply(new BigDecimal("1.25")));
			}
			ModelPrices.Tier tier = price.tier();
			if (tier != null) {
				assertThat(tier.cachedPrompt()).as(model)
					.isEqualByComparingTo(tier.prompt().multiply(new BigDecimal("0.1")));
				assertThat(tier.cacheWrite()).as(model)
					.isEqualByComparingTo(tier.prompt().multiply(new BigDecimal("1.25")));
				assertThat(tier.cacheWrite1h()).as(model).isEqualByComparingTo(tier.prompt().multiply(TWO));
			}
		});
		assertThat(this.prices.get("claude-3-haiku").cachedPrompt()).isEqualByComparingTo("0.03");
		assertThat(this.prices.get("claude-3-haiku").cacheWrite()).isEqualByComparingTo("0.30");
	}

	@Test
	void providersWithoutACacheWriteChargeBillWritesAsInput() {
		for (String model : new String[] { "gpt-4o", "gemini-2.5-pro", "deepseek-v4-flash", "mistral-large-latest" }) {
			ModelPrices.Price price = this.prices.get(model);
			assertThat(price).as(model).isNotNull();
			assertThat(price.cacheWrite()).as(model).isEqualByComparingTo(price.prompt());
		}
	}

	@Test
	void tiersOfTheBundledTable() {
		assertThat(tierOf("claude-sonnet-4-5").abovePromptTokens()).isEqualTo(200_000);
		assertThat(tierOf("gemini-2.5-pro").prompt()).isEqualByComparingTo("2.50");
		assertThat(tierOf("gemini-3.1-pro-preview").completion()).isEqualByComparingTo("18");
		assertThat(tierOf("gpt-5.4").abovePromptTokens()).isEqualTo(272_000);
		assertThat(this.prices.get("claude-sonnet-4-6").tier()).isNull();
	}

	@Test
	void morespecificFamiliesAreNotPricedByABroaderPrefix() {
		ModelPrices defaults = ModelPrices.defaults();
		assertThat(defaults.lookup("gemini-3.5-flash-lite")).isNotEqualTo(defaults.lookup("gemini-3.5-flash"));
		assertThat(defaults.lookup("claude-opus-4-8-20260528").prompt()).isEqualByComparingTo("5");
		assertThat(defaults.lookup("claude-opus-4-20250514").prompt()).isEqualByComparingTo("15");
	}

	@Test
	void keysAreSplitAtTheKnownFieldSoModelNamesMayContainDots() {
		BundledPriceTable table = BundledPriceTable.parse("test", """
				# table-date: 2026-01-02
				gpt-4.1-mini.prompt=0.40
				gpt-4.1-mini.completion=1.60
				gpt-4.1-mini.tier.above-prompt-tokens=100000
				gpt-4.1-mini.tier.prompt=0.80
				gpt-4.1-mini.tier.completion=3.20
				""".getBytes(StandardCharsets.ISO_8859_1));
		assertThat(table.date()).isEqualTo("2026-01-02");
		assertThat(table.prices()).containsOnlyKeys("gpt-4.1-mini");
		assertThat(table.prices().get("gpt-4.1-mini").tier().prompt()).isEqualByComparingTo("0.80");
	}

	@Test
	void aBrokenTableNamesTheKey() {
		assertThatIllegalStateException().isThrownBy(() -> parse("m.prompt=1\nm.completion=2\nm.cache-writes=3"))
			.withMessageContaining("m.cache-writes");
		assertThatIllegalStateException().isThrownBy(() -> parse("m.prompt=1\nm.completion=cheap"))
			.withMessageContaining("m.completion");
		assertThatIllegalStateException().isThrownBy(() -> parse("m.prompt=1\nm.completion=2\nm.tier.prompt=3"))
			.withMessageContaining("m.tier.above-prompt-tokens");
		assertThatIllegalStateException().isThrownBy(() -> parse("m.prompt=1")).withMessageContaining("m.completion");
		assertThat(parse("m.prompt=1\nm.completion=2").date()).isNull();
	}

	private ModelPrices.Tier tierOf(String model) {
		ModelPrices.Tier tier = this.prices.get(model).tier();
		assertThat(tier).as(model).isNotNull();
		return tier;
	}

	private static BundledPriceTable parse(String text) {
		return BundledPriceTable.parse("test", text.getBytes(StandardCharsets.ISO_8859_1));
	}

}
