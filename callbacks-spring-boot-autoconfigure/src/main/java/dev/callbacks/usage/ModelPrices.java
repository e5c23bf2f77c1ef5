package dev.callbacks.usage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Model prices in USD per million tokens, looked up by the model name a provider reports:
 * exact match first, then the longest configured prefix ({@code gpt-4o-mini-2024-07-18} →
 * {@code gpt-4o-mini}). A model with no price is warned about once and costs nothing;
 * trackers list it in {@code UsageTracker.unpricedModels()}.
 * <p>
 * {@link #defaults()} is a bundled, dated table
 * ({@code dev/callbacks/model-prices.properties}, which cites its sources);
 * {@link #with(Map)} lays overrides over it.
 */
public final class ModelPrices {

	private static final Logger logger = LoggerFactory.getLogger(ModelPrices.class);

	private static final String DEFAULTS_RESOURCE = "dev/callbacks/model-prices.properties";

	// Bounded: model names come from providers' responses, and an unbounded cache would
	// be a leak.
	private static final int MAX_CACHED_LOOKUPS = 1024;

	private static final Price NO_PRICE = new Price(BigDecimal.ZERO, BigDecimal.ZERO, null);

	private static volatile @Nullable ModelPrices defaults;

	private final Map<String, Price> prices;

	// Longest first, so the first prefix that matches is the longest.
	private final List<String> prefixes;

	private final Map<String, Price> lookups = new ConcurrentHashMap<>();

	private final Set<String> warned = ConcurrentHashMap.newKeySet();

	private ModelPrices(Map<String, Price> prices) {
		this.prices = Collections.unmodifiableMap(new LinkedHashMap<>(prices));
		List<String> prefixes = new ArrayList<>(prices.keySet());
		prefixes.sort(Comparator.comparingInt(String::length).reversed());
		this.prefixes = List.copyOf(prefixes);
	}

	/**
	 * A table of exactly these prices (keys are model names or prefixes, matched
	 * case-insensitively).
	 */
	public static ModelPrices of(Map<String, Price> prices) {
		Map<String, Price> normalized = new LinkedHashMap<>();
		prices.forEach((model, price) -> {
			Assert.hasText(model, "model name must not be blank");
			Assert.notNull(price, () -> "price of '" + model + "' must not be null");
			normalized.put(model.toLowerCase(Locale.ROOT), price);
		});
		return new ModelPrices(normalized);
	}

	/** The bundled table. */
	public static ModelPrices defaults() {
		ModelPrices result = defaults;
		if (result == null) {
			result = of(load(DEFAULTS_RESOURCE));
			defaults = result;
		}
		return result;
	}

	/** This table with {@code overrides} laid over it, entry by entry. */
	public ModelPrices with(Map<String, Price> overrides) {
		Map<String, Price> merged = new LinkedHashMap<>(this.prices);
		overrides.forEach((model, price) -> merged.put(model.toLowerCase(Locale.ROOT), price));
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
	 * price (warned once per model).
	 */
	public @Nullable BigDecimal cost(String model, TokenUsage usage) {
		Price price = lookup(model);
		if (price == null) {
			if (!usage.isEmpty() && this.warned.size() < MAX_CACHED_LOOKUPS && this.warned.add(model)) {
				logger.warn("No price for model '{}': its tokens are counted but cost nothing. Set "
						+ "callbacks.pricing.models.[{}].prompt and .completion (USD per 1M tokens) to price it.",
						model, model);
			}
			return null;
		}
		return price.cost(usage);
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

	static Map<String, Price> load(String resource) {
		Properties properties = new Properties();
		try (InputStream in = ModelPrices.class.getClassLoader().getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("Missing bundled price table " + resource);
			}
			properties.load(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + resource, ex);
		}
		Map<String, BigDecimal[]> parts = new LinkedHashMap<>();
		for (String key : properties.stringPropertyNames()) {
			int dot = key.lastIndexOf('.');
			Assert.state(dot > 0,
					() -> resource + ": key '" + key + "' is not <model>.<prompt|completion|cached-prompt>");
			String model = key.substring(0, dot);
			int slot = switch (key.substring(dot + 1)) {
				case "prompt" -> 0;
				case "completion" -> 1;
				case "cached-prompt" -> 2;
				default -> throw new IllegalStateException(resource + ": unknown price kind in '" + key + "'");
			};
			parts.computeIfAbsent(model, m -> new BigDecimal[3])[slot] = new BigDecimal(
					properties.getProperty(key).trim());
		}
		Map<String, Price> prices = new LinkedHashMap<>();
		parts.forEach((model, p) -> {
			Assert.state(p[0] != null && p[1] != null,
					() -> resource + ": model '" + model + "' needs both a prompt and a completion price");
			prices.put(model, new Price(p[0], p[1], p[2]));
		});
		return prices;
	}

	/**
	 * Prices in USD per million tokens.
	 *
	 * @param prompt per input token
	 * @param completion per output token
	 * @param cachedPrompt per input token read from the prompt cache; {@code null}: same
	 * as {@code prompt}
	 */
	public record Price(BigDecimal prompt, BigDecimal completion, @Nullable BigDecimal cachedPrompt) {

		public Price {
			Assert.notNull(prompt, "prompt price must not be null");
			Assert.notNull(completion, "completion price must not be null");
			Assert.isTrue(prompt.signum() >= 0, () -> "prompt price must not be negative: " + prompt);
			Assert.isTrue(completion.signum() >= 0, () -> "completion price must not be negative: " + completion);
			Assert.isTrue(cachedPrompt == null || cachedPrompt.signum() >= 0,
					() -> "cached-prompt price must not be negative: " + cachedPrompt);
		}

		/**
		 * (prompt − cached) · prompt + cached · cached-prompt + completion · completion,
		 * per million.
		 */
		public BigDecimal cost(TokenUsage usage) {
			long cached = Math.min(usage.cachedPromptTokens(), usage.promptTokens());
			BigDecimal cachedPrice = (this.cachedPrompt != null) ? this.cachedPrompt : this.prompt;
			BigDecimal micro = this.prompt.multiply(BigDecimal.valueOf(usage.promptTokens() - cached))
				.add(cachedPrice.multiply(BigDecimal.valueOf(cached)))
				.add(this.completion.multiply(BigDecimal.valueOf(usage.completionTokens())));
			// Exact, and cheap: dividing by a power of ten only moves the decimal point.
			return micro.movePointLeft(6);
		}

	}

}
