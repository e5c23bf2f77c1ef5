package dev.callbacks.usage;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Model prices in USD per million tokens, looked up by the model name a provider reports:
 * exact match first, then the longest configured prefix ({@code gpt-4o-mini-2024-07-18} →
 * {@code gpt-4o-mini}). A model with no price costs nothing, trackers list it in
 * {@code UsageTracker.unpricedModels()}, and it is warned about (at most one line every
 * five minutes for all such models together).
 * <p>
 * {@link #defaults()} is a bundled, dated table
 * ({@code dev/callbacks/model-prices.properties}, which cites its sources);
 * {@link #with(Map)} lays other prices over it, such as a LiteLLM price map
 * ({@link LiteLlmPriceMap}) and per-model overrides.
 */
public final class ModelPrices {

	private static final Logger logger = LoggerFactory.getLogger(ModelPrices.class);

	// Bounded: model names come from providers' responses, and an unbounded cache would
	// be a leak.
	private static final int MAX_CACHED_LOOKUPS = 1024;

	private static final Price NO_PRICE = new Price(BigDecimal.ZERO, BigDecimal.ZERO, null);

	private static volatile @Nullable BundledPriceTable bundled;

	private static volatile @Nullable ModelPrices defaults;

	private final Map<String, Price> prices;

	// Longest first, so the first prefix that matches is the longest.
	private final List<String> prefixes;

	private final Map<String, Price> lookups = new ConcurrentHashMap<>();

	private final UnpricedModelWarnings warnings;

	private ModelPrices(Map<String, Price> prices, UnpricedModelWarnings warnings) {
		this.prices = Collections.unmodifiableMap(new LinkedHashMap<>(prices));
		List<String> prefixes = new ArrayList<>(prices.keySet());
		prefixes.sort(Comparator.comparingInt(String::length).reversed());
		this.prefixes = List.copyOf(prefixes);
		this.warnings = warnings;
	}

	/**
	 * A table of exactly these prices (keys are model names or prefixes, matched
	 * case-insensitively).
	 */
	public static ModelPrices of(Map<String, Price> prices) {
		return new ModelPrices(normalize(prices), UnpricedModelWarnings.withDefaultInterval());
	}

	/** The bundled table. */
	public static ModelPrices defaults() {
		ModelPrices result = defaults;
		if (result == null) {
			result = of(bundled().prices());
			defaults = result;
		}
		return result;
	}

	/**
	 * The date the bundled table was compiled (ISO {@code yyyy-MM-dd}, from its header),
	 * or {@code "undated"}.
	 */
	public static String bundledTableDate() {
		String date = bundled().date();
		return (date != null) ? date : "undated";
	}

	private static BundledPriceTable bundled() {
		BundledPriceTable result = bundled;
		if (result == null) {
			result = BundledPriceTable.load(BundledPriceTable.RESOURCE);
			bundled = result;
		}
		return result;
	}

	/** This table with {@code overrides} laid over it, entry by entry. */
	public ModelPrices with(Map<String, Price> overrides) {
		Map<String, Price> merged = new LinkedHashMap<>(this.prices);
		merged.putAll(normalize(overrides));
		return of(merged);
	}

	/** Every configured model name or prefix with its price. */
	public Map<String, Price> prices() {
		return this.prices;
	}

	/**
	 * The price of {@code model}: exact, then longest prefix; {@code null} when none
	 * matches.
	 */
	public @Nullable Price lookup(String model) {
		// Cached by the name as given, so that a repeated lookup allocates nothing (no
		// lower-casing).
		Price cached = this.lookups.get(model);
		if (cached == null) {
			cached = resolve(model.toLowerCase(Locale.ROOT));
			if (this.lookups.size() < MAX_CACHED_LOOKUPS) {
				this.lookups.put(model, cached);
			}
		}
		return (cached != NO_PRICE) ? cached : null;
	}

	/**
	 * The cost of {@code usage} on {@code model}, or {@code null} when the model has no
	 * price (warned about, at most one line every five minutes).
	 */
	public @Nullable BigDecimal cost(String model, TokenUsage usage) {
		Price price = lookup(model);
		if (price == null) {
			if (!usage.isEmpty()) {
				String warning = this.warnings.onUnpriced(model);
				if (warning != null) {
					logger.warn(warning);
				}
			}
			return null;
		}
		return price.cost(usage);
	}

	/** The same prices with other warning timing; for tests. */
	ModelPrices withWarnings(UnpricedModelWarnings warnings) {
		return new ModelPrices(this.prices, warnings);
	}

	private Price resolve(String key) {
		Price exact = this.prices.get(key);
		if (exact != null) {
			return exact;
		}
		for (String prefix : this.prefixes) {
			Price byPrefix = key.startsWith(prefix) ? this.prices.get(prefix) : null;
			if (byPrefix != null) {
				return byPrefix;
			}
		}
		return NO_PRICE;
	}

	private static Map<String, Price> normalize(Map<String, Price> prices) {
		Map<String, Price> normalized = new LinkedHashMap<>();
		prices.forEach((model, price) -> {
			Assert.hasText(model, "model name must not be blank");
			Assert.notNull(price, () -> "price of '" + model + "' must not be null");
			normalized.put(model.toLowerCase(Locale.ROOT), price);
		});
		return normalized;
	}

	private static BigDecimal perMillion(BigDecimal price, long tokens) {
		return (tokens != 0) ? price.multiply(BigDecimal.valueOf(tokens)) : BigDecimal.ZERO;
	}

	private static BigDecimal requirePrice(String field, @Nullable BigDecimal price) {
		if (price == null) {
			throw new InvalidPriceException(field, null, "a price is required (USD per 1M tokens)");
		}
		if (price.signum() < 0) {
			throw new InvalidPriceException(field, price, "a price must not be negative");
		}
		return price;
	}

	/**
	 * Prices in USD per million tokens. Cache reads and writes are parts of the prompt
	 * tokens (as {@link TokenUsage} defines them) and are charged at their own prices
	 * instead of the prompt price; reasoning tokens are part of the completion tokens.
	 * Build one with {@link #builder()} to get the defaults of the optional prices.
	 *
	 * @param prompt per input token that is neither read from nor written to a cache
	 * @param completion per output token, reasoning included
	 * @param cachedPrompt per input token read from the prompt cache
	 * @param cacheWrite per input token written to the prompt cache with the default
	 * (five-minute) lifetime
	 * @param cacheWrite1h per input token written to the prompt cache with a one-hour
	 * lifetime
	 * @param tier the prices that apply to the whole request when the prompt is larger
	 * than a threshold; {@code null} when the price does not depend on the prompt size
	 */
	public record Price(BigDecimal prompt, BigDecimal completion, BigDecimal cachedPrompt, BigDecimal cacheWrite,
			BigDecimal cacheWrite1h, @Nullable Tier tier) {

		public Price {
			requirePrice("prompt", prompt);
			requirePrice("completion", completion);
			requirePrice("cached-prompt", cachedPrompt);
			requirePrice("cache-write", cacheWrite);
			requirePrice("cache-write-1h", cacheWrite1h);
		}

		/**
		 * Prompt, completion and cache-read prices ({@code null}: the prompt price);
		 * cache writes cost the prompt price.
		 */
		public Price(BigDecimal prompt, BigDecimal completion, @Nullable BigDecimal cachedPrompt) {
			this(prompt, completion, (cachedPrompt != null) ? cachedPrompt : prompt, prompt, prompt, null);
		}

		/** A builder that fills unset optional prices with their defaults. */
		public static PriceBuilder builder() {
			return new PriceBuilder();
		}

		/**
		 * The cost of {@code usage}, exact: per million tokens, (prompt − cache reads −
		 * cache writes) · prompt + cache reads · cached-prompt + (cache writes − one-hour
		 * writes) · cache-write + one-hour writes · cache-write-1h + completion ·
		 * completion, at the tier's prices when the prompt is larger than the tier's
		 * threshold. Parts that exceed their whole are capped, so a cost is never
		 * negative.
		 */
		public BigDecimal cost(TokenUsage usage) {
			Tier tier = this.tier;
			if (tier != null && usage.promptTokens() > tier.abovePromptTokens()) {
				return cost(usage, tier.prompt(), tier.completion(), tier.cachedPrompt(), tier.cacheWrite(),
						tier.cacheWrite1h());
			}
			return cost(usage, this.prompt, this.completion, this.cachedPrompt, this.cacheWrite, this.cacheWrite1h);
		}

		private static BigDecimal cost(TokenUsage usage, BigDecimal prompt, BigDecimal completion,
				BigDecimal cachedPrompt, BigDecimal cacheWrite, BigDecimal cacheWrite1h) {
			long input = usage.promptTokens();
			long read = Math.min(usage.cachedPromptTokens(), input);
			long written = Math.min(usage.cacheWriteTokens(), input - read);
			long written1h = Math.min(usage.cacheWrite1hTokens(), written);
			BigDecimal micro = perMillion(prompt, input - read - written).add(perMillion(cachedPrompt, read))
				.add(perMillion(cacheWrite, written - written1h))
				.add(perMillion(cacheWrite1h, written1h))
				.add(perMillion(completion, usage.completionTokens()));
			// Exact, and cheap: dividing by a power of ten only moves the decimal point.
			return micro.movePointLeft(6);
		}

	}

	/**
	 * Prices that apply to a whole request, all its tokens, when its prompt tokens (cache
	 * reads and writes included) exceed {@code abovePromptTokens}; in USD per million
	 * tokens like {@link Price}.
	 *
	 * @param abovePromptTokens the prompt size above which these prices apply (such as
	 * 200000)
	 * @param prompt per input token that is neither read from nor written to a cache
	 * @param completion per output token
	 * @param cachedPrompt per input token read from the prompt cache
	 * @param cacheWrite per input token written to the cache (default lifetime)
	 * @param cacheWrite1h per input token written to the cache with a one-hour lifetime
	 */
	public record Tier(long abovePromptTokens, BigDecimal prompt, BigDecimal completion, BigDecimal cachedPrompt,
			BigDecimal cacheWrite, BigDecimal cacheWrite1h) {

		public Tier {
			if (abovePromptTokens <= 0) {
				throw new InvalidPriceException("tier.above-prompt-tokens", abovePromptTokens,
						"the prompt size above which the tier applies must be positive");
			}
			requirePrice("tier.prompt", prompt);
			requirePrice("tier.completion", completion);
			requirePrice("tier.cached-prompt", cachedPrompt);
			requirePrice("tier.cache-write", cacheWrite);
			requirePrice("tier.cache-write-1h", cacheWrite1h);
		}

	}

	/**
	 * Builds a {@link Price} from the values that were given, named like the price
	 * properties. Defaults: {@code cached-prompt} and {@code cache-write} are the
	 * {@code prompt} price, {@code cache-write-1h} the {@code cache-write} price. A tier
	 * needs {@code tier.above-prompt-tokens}, {@code tier.prompt} and
	 * {@code tier.completion}; its unset cache prices keep the ratio to the prompt price
	 * they have below the threshold (as providers' multipliers do: an Anthropic cache
	 * read stays 0.1 × the input price above 200K tokens). Invalid or missing values
	 * throw an {@link InvalidPriceException} naming the field.
	 */
	public static final class PriceBuilder {

		/** The field names, as price property suffixes. */
		static final List<String> FIELDS = List.of("prompt", "completion", "cached-prompt", "cache-write",
				"cache-write-1h", "tier.above-prompt-tokens", "tier.prompt", "tier.completion", "tier.cached-prompt",
				"tier.cache-write", "tier.cache-write-1h");

		private @Nullable BigDecimal prompt;

		private @Nullable BigDecimal completion;

		private @Nullable BigDecimal cachedPrompt;

		private @Nullable BigDecimal cacheWrite;

		private @Nullable BigDecimal cacheWrite1h;

		private @Nullable Long tierAbovePromptTokens;

		private @Nullable BigDecimal tierPrompt;

		private @Nullable BigDecimal tierCompletion;

		private @Nullable BigDecimal tierCachedPrompt;

		private @Nullable BigDecimal tierCacheWrite;

		private @Nullable BigDecimal tierCacheWrite1h;

		private PriceBuilder() {
		}

		public PriceBuilder prompt(@Nullable BigDecimal prompt) {
			this.prompt = prompt;
			return this;
		}

		public PriceBuilder completion(@Nullable BigDecimal completion) {
			this.completion = completion;
			return this;
		}

		public PriceBuilder cachedPrompt(@Nullable BigDecimal cachedPrompt) {
			this.cachedPrompt = cachedPrompt;
			return this;
		}

		public PriceBuilder cacheWrite(@Nullable BigDecimal cacheWrite) {
			this.cacheWrite = cacheWrite;
			return this;
		}

		public PriceBuilder cacheWrite1h(@Nullable BigDecimal cacheWrite1h) {
			this.cacheWrite1h = cacheWrite1h;
			return this;
		}

		public PriceBuilder tierAbovePromptTokens(@Nullable Long abovePromptTokens) {
			this.tierAbovePromptTokens = abovePromptTokens;
			return this;
		}

		public PriceBuilder tierPrompt(@Nullable BigDecimal prompt) {
			this.tierPrompt = prompt;
			return this;
		}

		public PriceBuilder tierCompletion(@Nullable BigDecimal completion) {
			this.tierCompletion = completion;
			return this;
		}

		public PriceBuilder tierCachedPrompt(@Nullable BigDecimal cachedPrompt) {
			this.tierCachedPrompt = cachedPrompt;
			return this;
		}

		public PriceBuilder tierCacheWrite(@Nullable BigDecimal cacheWrite) {
			this.tierCacheWrite = cacheWrite;
			return this;
		}

		public PriceBuilder tierCacheWrite1h(@Nullable BigDecimal cacheWrite1h) {
			this.tierCacheWrite1h = cacheWrite1h;
			return this;
		}

		/**
		 * Sets the field named like a price property ({@code cache-write-1h},
		 * {@code tier.above-prompt-tokens}, ...) from its text.
		 */
		PriceBuilder set(String field, String text) {
			String value = text.trim();
			if (field.equals("tier.above-prompt-tokens")) {
				try {
					return tierAbovePromptTokens(Long.parseLong(value));
				}
				catch (NumberFormatException ex) {
					throw new InvalidPriceException(field, text, "not a whole number of tokens");
				}
			}
			BigDecimal price;
			try {
				price = new BigDecimal(value);
			}
			catch (NumberFormatException ex) {
				throw new InvalidPriceException(field, text, "not a number (USD per 1M tokens)");
			}
			return switch (field) {
				case "prompt" -> prompt(price);
				case "completion" -> completion(price);
				case "cached-prompt" -> cachedPrompt(price);
				case "cache-write" -> cacheWrite(price);
				case "cache-write-1h" -> cacheWrite1h(price);
				case "tier.prompt" -> tierPrompt(price);
				case "tier.completion" -> tierCompletion(price);
				case "tier.cached-prompt" -> tierCachedPrompt(price);
				case "tier.cache-write" -> tierCacheWrite(price);
				case "tier.cache-write-1h" -> tierCacheWrite1h(price);
				default -> throw new InvalidPriceException(field, text,
						"unknown price field; expected one of " + String.join(", ", FIELDS));
			};
		}

		/** The price, with defaults for what was not set. */
		public Price build() {
			BigDecimal prompt = this.prompt;
			BigDecimal completion = this.completion;
			if (prompt == null || completion == null) {
				throw new InvalidPriceException((prompt == null) ? "prompt" : "completion", null,
						"a price needs both prompt and completion (USD per 1M tokens)");
			}
			requirePrice("prompt", prompt);
			requirePrice("completion", completion);
			BigDecimal cachedPrompt = orElse(this.cachedPrompt, prompt);
			BigDecimal cacheWrite = orElse(this.cacheWrite, prompt);
			BigDecimal cacheWrite1h = orElse(this.cacheWrite1h, cacheWrite);
			Tier tier = null;
			if (hasTier()) {
				Long above = this.tierAbovePromptTokens;
				if (above == null) {
					throw new InvalidPriceException("tier.above-prompt-tokens", null,
							"a tier needs the prompt size above which its prices apply");
				}
				BigDecimal tierPrompt = this.tierPrompt;
				BigDecimal tierCompletion = this.tierCompletion;
				if (tierPrompt == null || tierCompletion == null) {
					throw new InvalidPriceException((tierPrompt == null) ? "tier.prompt" : "tier.completion", null,
							"a tier needs both tier.prompt and tier.completion (USD per 1M tokens)");
				}
				requirePrice("tier.prompt", tierPrompt);
				BigDecimal tierCacheWrite = (this.tierCacheWrite != null) ? this.tierCacheWrite
						: scaled(cacheWrite, prompt, tierPrompt);
				BigDecimal tierCacheWrite1h = (this.tierCacheWrite1h != null) ? this.tierCacheWrite1h
						: (this.cacheWrite1h != null) ? scaled(cacheWrite1h, prompt, tierPrompt) : tierCacheWrite;
				tier = new Tier(above, tierPrompt, tierCompletion, (this.tierCachedPrompt != null)
						? this.tierCachedPrompt : scaled(cachedPrompt, prompt, tierPrompt), tierCacheWrite,
						tierCacheWrite1h);
			}
			return new Price(prompt, completion, cachedPrompt, cacheWrite, cacheWrite1h, tier);
		}

		private boolean hasTier() {
			return this.tierAbovePromptTokens != null || this.tierPrompt != null || this.tierCompletion != null
					|| this.tierCachedPrompt != null || this.tierCacheWrite != null || this.tierCacheWrite1h != null;
		}

		private static BigDecimal orElse(@Nullable BigDecimal value, BigDecimal fallback) {
			return (value != null) ? value : fallback;
		}

		// price · tierPrompt / prompt: the same multiplier above the threshold. Exact for
		// the multipliers providers use (0.1, 1.25, 2); 34 significant digits otherwise.
		private static BigDecimal scaled(BigDecimal price, BigDecimal prompt, BigDecimal tierPrompt) {
			if (prompt.signum() == 0) {
				return tierPrompt;
			}
			return price.multiply(tierPrompt).divide(prompt, MathContext.DECIMAL128).stripTrailingZeros();
		}

	}

}
