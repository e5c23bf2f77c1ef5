package dev.callbacks.usage;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The cost formula: every input part at its own price, tiers, defaults and validation.
 */
class ModelPricesCostTests {

	// Claude Sonnet 4.5's published prices, written out here so that the expected costs
	// below are worked by hand, not by the code under test.
	private static final ModelPrices.Price SONNET = ModelPrices.Price.builder()
		.prompt(new BigDecimal("3"))
		.completion(new BigDecimal("15"))
		.cachedPrompt(new BigDecimal("0.30"))
		.cacheWrite(new BigDecimal("3.75"))
		.cacheWrite1h(new BigDecimal("6"))
		.tierAbovePromptTokens(200_000L)
		.tierPrompt(new BigDecimal("6"))
		.tierCompletion(new BigDecimal("22.50"))
		.build();

	@Test
	void anthropicCacheReadsCostATenthOfTheInputPrice() {
		// 1,800 read from the cache + 29 new = 1,829 prompt tokens
		TokenUsage usage = usage(1_829, 0, 1_800, 0, 0);
		// 29 x 3 + 1,800 x 0.30 = 87 + 540 = 627 per million
		assertThat(SONNET.cost(usage)).isEqualByComparingTo("0.000627");
		assertThat(ModelPrices.defaults().cost("claude-sonnet-4-5-20250929", usage)).isEqualByComparingTo("0.000627");
	}

	@Test
	void fiveMinuteCacheWritesCostOneAndAQuarterTimesTheInputPrice() {
		// 1,200 written to the cache (5 minutes) + 30 new
		TokenUsage usage = usage(1_230, 0, 0, 1_200, 0);
		// 30 x 3 + 1,200 x 3.75 = 90 + 4,500
		assertThat(SONNET.cost(usage)).isEqualByComparingTo("0.00459");
		assertThat(ModelPrices.defaults().cost("claude-sonnet-4-5", usage)).isEqualByComparingTo("0.00459");
	}

	@Test
	void oneHourCacheWritesCostTwiceTheInputPrice() {
		// 30 x 3 + 1,200 x 6 = 90 + 7,200
		assertThat(SONNET.cost(usage(1_230, 0, 0, 1_200, 1_200))).isEqualByComparingTo("0.00729");
		// 200 of the 1,200 with a one-hour lifetime: 30 x 3 + 1,000 x 3.75 + 200 x 6
		assertThat(SONNET.cost(usage(1_230, 0, 0, 1_200, 200))).isEqualByComparingTo("0.00504");
		assertThat(ModelPrices.defaults().cost("claude-haiku-4-5-20251001", usage(1_230, 0, 0, 1_200, 1_200)))
			// 30 x 1 + 1,200 x 2
			.isEqualByComparingTo("0.00243");
	}

	@Test
	void readsWritesNewTokensAndOutputTogether() {
		// 10,000 prompt = 6,000 read + 3,000 written (1,000 of them for an hour) + 1,000
		// new;
		// 500 output of which 400 reasoning
		TokenUsage usage = new TokenUsage(10_000, 500, 10_500, 6_000, 3_000, 1_000, 400, false);
		// 1,000 x 3 + 6,000 x 0.30 + 2,000 x 3.75 + 1,000 x 6 + 500 x 15
		// = 3,000 + 1,800 + 7,500 + 6,000 + 7,500 = 25,800
		assertThat(SONNET.cost(usage)).isEqualByComparingTo("0.0258");
	}

	@Test
	void reasoningIsPartOfTheCompletionAndNotChargedTwice() {
		TokenUsage withReasoning = new TokenUsage(0, 100, 100, 0, 0, 0, 80, false);
		assertThat(SONNET.cost(withReasoning)).isEqualByComparingTo("0.0015");
	}

	@Test
	void partsLargerThanTheirWholeAreCappedSoACostIsNeverNegative() {
		// a reader that reports more cache reads than prompt tokens: all 1,000 are reads
		assertThat(SONNET.cost(usage(1_000, 0, 2_000, 500, 0))).isEqualByComparingTo("0.0003");
		// more writes than the reads leave: 600 read, 400 written, none new.
		// 600 x 0.30 + 400 x 3.75 = 180 + 1,500
		assertThat(SONNET.cost(usage(1_000, 0, 600, 900, 0))).isEqualByComparingTo("0.00168");
		// more one-hour writes than writes: all 100 writes at the one-hour price
		assertThat(SONNET.cost(usage(100, 0, 0, 100, 5_000))).isEqualByComparingTo("0.0006");
		assertThat(SONNET.cost(usage(0, 0, 10, 10, 10))).isEqualByComparingTo("0");
	}

	@Test
	void geminiAbove200kPromptTokensChargesTheWholeRequestAtTheTierPrices() {
		ModelPrices prices = ModelPrices.defaults();
		// exactly 200,000: still the base prices. 200,000 x 1.25 + 1,000 x 10
		assertThat(prices.cost("gemini-2.5-pro", usage(200_000, 1_000, 0, 0, 0))).isEqualByComparingTo("0.26");
		// 200,001: everything at 2.50 / 15. 200,001 x 2.50 + 1,000 x 15
		assertThat(prices.cost("gemini-2.5-pro", usage(200_001, 1_000, 0, 0, 0))).isEqualByComparingTo("0.5150025");
		// cached tokens above the threshold: 100,001 x 2.50 + 100,000 x 0.25 + 1,000 x 15
		assertThat(prices.cost("gemini-2.5-pro", usage(200_001, 1_000, 100_000, 0, 0)))
			.isEqualByComparingTo("0.2900025");
		// Gemini 3.1 Pro Preview: 250,000 x 4 + 2,000 x 18 (thinking is output)
		assertThat(
				prices.cost("gemini-3.1-pro-preview", new TokenUsage(250_000, 2_000, 252_000, 0, 0, 0, 1_500, false)))
			.isEqualByComparingTo("1.036");
	}

	@Test
	void anthropicLongContextKeepsTheCacheMultipliers() {
		// 300,000 prompt tokens: 100,000 new at 6, 150,000 read at 0.60, 50,000 written
		// at
		// 7.50; 1,000 output at 22.50
		TokenUsage usage = usage(300_000, 1_000, 150_000, 50_000, 0);
		BigDecimal expected = new BigDecimal("0.6").add(new BigDecimal("0.09"))
			.add(new BigDecimal("0.375"))
			.add(new BigDecimal("0.0225"));
		assertThat(SONNET.cost(usage)).isEqualByComparingTo(expected);
		assertThat(ModelPrices.defaults().cost("claude-sonnet-4-5", usage)).isEqualByComparingTo(expected);
	}

	@Test
	void unsetTierCachePricesKeepTheirRatioToThePromptPrice() {
		ModelPrices.Tier tier = SONNET.tier();
		assertThat(tier).isNotNull();
		assertThat(tier.abovePromptTokens()).isEqualTo(200_000);
		assertThat(tier.cachedPrompt()).isEqualByComparingTo("0.60");
		assertThat(tier.cacheWrite()).isEqualByComparingTo("7.50");
		assertThat(tier.cacheWrite1h()).isEqualByComparingTo("12");

		ModelPrices.Price noOneHourPrice = ModelPrices.Price.builder()
			.prompt(new BigDecimal("3"))
			.completion(new BigDecimal("15"))
			.cacheWrite(new BigDecimal("3.75"))
			.tierAbovePromptTokens(200_000L)
			.tierPrompt(new BigDecimal("6"))
			.tierCompletion(new BigDecimal("22.50"))
			.tierCacheWrite(new BigDecimal("8"))
			.build();
		assertThat(noOneHourPrice.cacheWrite1h()).isEqualByComparingTo("3.75");
		ModelPrices.Tier noOneHourTier = noOneHourPrice.tier();
		assertThat(noOneHourTier).isNotNull();
		assertThat(noOneHourTier.cachedPrompt()).isEqualByComparingTo("6");
		assertThat(noOneHourTier.cacheWrite1h()).isEqualByComparingTo("8");
	}

	@Test
	void defaultsOfTheOptionalPrices() {
		ModelPrices.Price price = ModelPrices.Price.builder()
			.prompt(new BigDecimal("2"))
			.completion(new BigDecimal("8"))
			.cacheWrite(new BigDecimal("2.5"))
			.build();
		assertThat(price.cachedPrompt()).isEqualByComparingTo("2");
		assertThat(price.cacheWrite1h()).isEqualByComparingTo("2.5");
		assertThat(price.tier()).isNull();
	}

	@Test
	void theThreeArgumentConstructorStillWorks() {
		ModelPrices.Price price = new ModelPrices.Price(new BigDecimal("2"), new BigDecimal("8"),
				new BigDecimal("0.5"));
		assertThat(price.cachedPrompt()).isEqualByComparingTo("0.5");
		assertThat(price.cacheWrite()).isEqualByComparingTo("2");
		assertThat(price.cacheWrite1h()).isEqualByComparingTo("2");
		// 100 new x 2 + 100 read x 0.5 + 100 written x 2 + 10 x 8 = 200 + 50 + 200 + 80
		assertThat(price.cost(usage(300, 10, 100, 100, 0))).isEqualByComparingTo("0.00053");
		assertThat(new ModelPrices.Price(BigDecimal.ONE, BigDecimal.TEN, null).cachedPrompt())
			.isEqualByComparingTo("1");
	}

	@Test
	void costIsExactForTinyPrices() {
		ModelPrices.Price price = new ModelPrices.Price(new BigDecimal("0.075"), new BigDecimal("0.0028"), null);
		assertThat(price.cost(usage(1, 1, 0, 0, 0))).isEqualTo(new BigDecimal("0.0000000778"));
	}

	@Test
	void invalidPricesNameTheField() {
		assertThatExceptionOfType(InvalidPriceException.class)
			.isThrownBy(() -> ModelPrices.Price.builder().completion(BigDecimal.ONE).build())
			.satisfies(ex -> assertThat(ex.field()).isEqualTo("prompt"));
		assertThatExceptionOfType(InvalidPriceException.class)
			.isThrownBy(() -> ModelPrices.Price.builder()
				.prompt(BigDecimal.ONE)
				.completion(BigDecimal.ONE)
				.cacheWrite1h(new BigDecimal("-1"))
				.build())
			.satisfies(ex -> assertThat(ex.field()).isEqualTo("cache-write-1h"))
			.withMessageContaining("must not be negative");
		assertThatExceptionOfType(InvalidPriceException.class)
			.isThrownBy(() -> ModelPrices.Price.builder()
				.prompt(BigDecimal.ONE)
				.completion(BigDecimal.ONE)
				.tierPrompt(BigDecimal.TEN)
				.tierCompletion(BigDecimal.TEN)
				.build())
			.satisfies(ex -> assertThat(ex.field()).isEqualTo("tier.above-prompt-tokens"));
		assertThatExceptionOfType(InvalidPriceException.class)
			.isThrownBy(() -> ModelPrices.Price.builder()
				.prompt(BigDecimal.ONE)
				.completion(BigDecimal.ONE)
				.tierAbovePromptTokens(200_000L)
				.tierPrompt(BigDecimal.TEN)
				.build())
			.satisfies(ex -> assertThat(ex.field()).isEqualTo("tier.completion"));
		assertThatExceptionOfType(InvalidPriceException.class)
			.isThrownBy(() -> ModelPrices.Price.builder()
				.prompt(BigDecimal.ONE)
				.completion(BigDecimal.ONE)
				.tierAbovePromptTokens(0L)
				.tierPrompt(BigDecimal.TEN)
				.tierCompletion(BigDecimal.TEN)
				.build())
			.satisfies(ex -> assertThat(ex.field()).isEqualTo("tier.above-prompt-tokens"));
		assertThatExceptionOfType(InvalidPriceException.class)
			.isThrownBy(() -> new ModelPrices.Price(BigDecimal.ONE, new BigDecimal("-2"), null))
			.satisfies(ex -> assertThat(ex.field()).isEqualTo("completion"));
	}

	private static TokenUsage usage(long prompt, long completion, long cacheRead, long cacheWrite, long cacheWrite1h) {
		return new TokenUsage(prompt, completion, prompt + completion, cacheRead, cacheWrite, cacheWrite1h, 0, false);
	}

}
