package dev.callbacks.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.callbacks.usage.InvalidPriceException;
import dev.callbacks.usage.LiteLlmPriceMap;
import dev.callbacks.usage.ModelPrices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.io.Resource;

/**
 * Turns the {@code callbacks.pricing} properties into {@link ModelPrices}: the bundled
 * table, the LiteLLM map over it, the per-model prices over both. Translates what the
 * price readers reject into start-up failures naming the property, and says in one INFO
 * line which tables are in force.
 */
final class PricingPropertiesMapper {

	private static final Logger logger = LoggerFactory.getLogger(PricingPropertiesMapper.class);

	static final String LITELLM_MAP = "callbacks.pricing.litellm-map";

	private PricingPropertiesMapper() {
	}

	static ModelPrices modelPrices(CallbacksProperties.Pricing pricing) {
		ModelPrices prices = ModelPrices.defaults();
		StringBuilder inForce = new StringBuilder("bundled table of ").append(ModelPrices.bundledTableDate())
			.append(" (")
			.append(prices.prices().size())
			.append(" models or prefixes)");
		Resource map = pricing.getLitellmMap();
		if (map != null) {
			LiteLlmPriceMap litellm = readLiteLlmMap(map);
			prices = prices.with(litellm.prices());
			inForce.append("; over it the LiteLLM map ")
				.append(map.getDescription())
				.append(" (")
				.append(modified(map))
				.append(", ")
				.append(litellm.models())
				.append(" models read, ")
				.append(litellm.skipped())
				.append(" not chat or unpriced skipped)");
		}
		Map<String, ModelPrices.Price> overrides = new LinkedHashMap<>();
		pricing.getModels().forEach((model, price) -> overrides.put(model, toPrice(model, price)));
		if (!overrides.isEmpty()) {
			prices = prices.with(overrides);
		}
		inForce.append((map != null) ? "; over both " : "; over it ")
			.append(overrides.size())
			.append(" models from callbacks.pricing.models");
		logger.info("Model prices (USD per 1M tokens): {}", inForce);
		return prices;
	}

	static ModelPrices.Price toPrice(String model, CallbacksProperties.ModelPrice price) {
		CallbacksProperties.PriceTier tier = price.getTier();
		try {
			return ModelPrices.Price.builder()
				.prompt(price.getPrompt())
				.completion(price.getCompletion())
				.cachedPrompt(price.getCachedPrompt())
				.cacheWrite(price.getCacheWrite())
				.cacheWrite1h(price.getCacheWrite1h())
				.tierAbovePromptTokens(tier.getAbovePromptTokens())
				.tierPrompt(tier.getPrompt())
				.tierCompletion(tier.getCompletion())
				.tierCachedPrompt(tier.getCachedPrompt())
				.tierCacheWrite(tier.getCacheWrite())
				.tierCacheWrite1h(tier.getCacheWrite1h())
				.build();
		}
		catch (InvalidPriceException ex) {
			throw new InvalidConfigurationPropertyValueException(
					"callbacks.pricing.models.[" + model + "]." + ex.field(), ex.value(), ex.reason());
		}
	}

	private static LiteLlmPriceMap readLiteLlmMap(Resource map) {
		if (!map.exists()) {
			throw new InvalidConfigurationPropertyValueException(LITELLM_MAP, map.getDescription(),
					"the price map does not exist");
		}
		try (InputStream in = map.getInputStream()) {
			return LiteLlmPriceMap.read(in, map.getDescription());
		}
		catch (IOException ex) {
			throw new InvalidConfigurationPropertyValueException(LITELLM_MAP, map.getDescription(),
					"the price map cannot be read (" + ex + ")");
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(LITELLM_MAP, map.getDescription(), ex.getMessage());
		}
	}

	// LiteLLM's file carries no date of its own: its modification time is the best there
	// is.
	private static String modified(Resource map) {
		try {
			long modified = map.lastModified();
			if (modified > 0) {
				return "modified " + Instant.ofEpochMilli(modified).truncatedTo(ChronoUnit.SECONDS);
			}
		}
		catch (IOException ex) {
			// no file behind it
		}
		return "modification date unknown";
	}

}
