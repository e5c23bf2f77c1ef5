package dev.callbacks.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.callbacks.usage.ModelPrices;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * The value of the {@code model} tag, bounded: model names can come from user input (a
 * request that picks its model, a gateway that answers under any name it is asked for),
 * and every distinct name would otherwise make a new set of series.
 * <p>
 * A name is recorded as it is when it is a key of the price table or listed as allowed.
 * Names priced only through a prefix ({@code gpt-4o-mini-2024-07-18} through
 * {@code gpt-4o-mini}) are recorded as they are up to {@code maxPricedVariants} distinct
 * ones, later ones under the price entry they match. Names with no price are recorded as
 * they are up to {@code maxUnpricedModels} distinct ones, later ones as {@code other}. A
 * name once recorded as itself stays so.
 */
public final class ModelTags {

	/**
	 * Default bound on distinct unpriced names: a few self-hosted or fine-tuned models
	 * fit, and a flood costs at most 11 names × 6 meters per client.
	 */
	public static final int DEFAULT_MAX_UNPRICED = 10;

	/**
	 * Default bound on distinct names priced only through a prefix: a provider's dated
	 * snapshots of the models in the table fit with room to spare.
	 */
	public static final int DEFAULT_MAX_PRICED_VARIANTS = 100;

	private static final Logger logger = LoggerFactory.getLogger(ModelTags.class);

	// Names that need no budget (price keys, allowed names) are remembered up to this
	// many, so that the common case is one map lookup; beyond it they are resolved again.
	private static final int MAX_REMEMBERED_FREE = 1024;

	private final ModelPrices prices;

	private final Set<String> allowed;

	private final int maxUnpriced;

	private final int maxPricedVariants;

	// Longest first, so the first key that is a prefix of a name is its price entry.
	private final List<String> priceKeys;

	// Name → tag value: every admitted name, and free names up to MAX_REMEMBERED_FREE.
	private final ConcurrentMap<String, String> tags = new ConcurrentHashMap<>();

	// Guarded by "this".
	private int unpricedAdmitted;

	private int pricedVariantsAdmitted;

	private int freeRemembered;

	private boolean warnedUnpriced;

	private boolean warnedPriced;

	/**
	 * @param prices the price table in force: its keys are kept, and it tells priced
	 * names from unpriced ones
	 * @param allowed names always recorded as they are
	 * @param maxUnpriced distinct names with no price recorded as they are; 0: none
	 * @param maxPricedVariants distinct names priced only through a prefix recorded as
	 * they are; 0: all under their price entry
	 */
	public ModelTags(ModelPrices prices, Set<String> allowed, int maxUnpriced, int maxPricedVariants) {
		Assert.notNull(prices, "prices must not be null");
		Assert.notNull(allowed, "allowed must not be null");
		Assert.isTrue(maxUnpriced >= 0, "maxUnpriced must not be negative");
		Assert.isTrue(maxPricedVariants >= 0, "maxPricedVariants must not be negative");
		this.prices = prices;
		this.allowed = Set.copyOf(allowed);
		this.maxUnpriced = maxUnpriced;
		this.maxPricedVariants = maxPricedVariants;
		List<String> keys = new ArrayList<>(prices.prices().keySet());
		keys.sort(Comparator.comparingInt(String::length).reversed());
		this.priceKeys = List.copyOf(keys);
	}

	/** The bundled prices, nothing else allowed, and the default bounds. */
	public static ModelTags defaults() {
		return new ModelTags(ModelPrices.defaults(), Set.of(), DEFAULT_MAX_UNPRICED, DEFAULT_MAX_PRICED_VARIANTS);
	}

	/** The {@code model} tag value for a run of {@code model}. */
	public String tag(String model) {
		String tag = this.tags.get(model);
		return (tag != null) ? tag : resolve(model);
	}

	private String resolve(String model) {
		if (this.allowed.contains(model)) {
			return free(model);
		}
		if (this.prices.lookup(model) == null) {
			return admit(model, false) ? model : LlmMeters.OTHER;
		}
		String key = priceKey(model);
		if (model.equals(key)) {
			return free(model);
		}
		if (admit(model, true)) {
			return model;
		}
		// Over the bound: under the price entry it matches, a bounded set (or "other",
		// should the table match names in a way its keys do not show).
		return (key != null) ? key : LlmMeters.OTHER;
	}

	private String free(String model) {
		synchronized (this) {
			if (this.freeRemembered < MAX_REMEMBERED_FREE && this.tags.putIfAbsent(model, model) == null) {
				this.freeRemembered++;
			}
		}
		return model;
	}

	private synchronized boolean admit(String model, boolean priced) {
		if (this.tags.containsKey(model)) {
			return true;
		}
		if (priced ? this.pricedVariantsAdmitted >= this.maxPricedVariants
				: this.unpricedAdmitted >= this.maxUnpriced) {
			warnOnce(priced);
			return false;
		}
		this.tags.put(model, model);
		if (priced) {
			this.pricedVariantsAdmitted++;
		}
		else {
			this.unpricedAdmitted++;
		}
		return true;
	}

	// Once per bound, and without the name: it may be anything a user typed.
	private void warnOnce(boolean priced) {
		if (priced && !this.warnedPriced) {
			this.warnedPriced = true;
			logger.warn("More than {} distinct model names priced only through a prefix: further ones are recorded "
					+ "under the price entry they match. List them in callbacks.metrics.models.allowed or raise "
					+ "callbacks.metrics.models.max-priced-variants to keep their names.", this.maxPricedVariants);
		}
		else if (!priced && !this.warnedUnpriced) {
			this.warnedUnpriced = true;
			logger.warn(
					"More than {} distinct model names without a price: further ones are recorded as "
							+ "model=other. Price them (callbacks.pricing.models), list them in "
							+ "callbacks.metrics.models.allowed or raise callbacks.metrics.models.max-unpriced.",
					this.maxUnpriced);
		}
	}

	private @Nullable String priceKey(String model) {
		String name = model.toLowerCase(Locale.ROOT);
		for (String key : this.priceKeys) {
			if (name.startsWith(key)) {
				return key;
			}
		}
		return null;
	}

}
