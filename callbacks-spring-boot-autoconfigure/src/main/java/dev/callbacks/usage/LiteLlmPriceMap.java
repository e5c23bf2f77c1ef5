package dev.callbacks.usage;

import java.io.InputStream;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prices read from a price map in the format of LiteLLM's
 * {@code model_prices_and_context_window.json}: one object per model with prices in USD
 * per token, converted exactly to USD per million tokens.
 * <ul>
 * <li>Read: {@code input_cost_per_token}, {@code output_cost_per_token},
 * {@code cache_read_input_token_cost} (or DeepSeek's
 * {@code input_cost_per_token_cache_hit}), {@code cache_creation_input_token_cost},
 * {@code cache_creation_input_token_cost_above_1hr}, and the tier fields
 * {@code input_cost_per_token_above_<N>k_tokens},
 * {@code output_cost_per_token_above_<N>k_tokens},
 * {@code cache_read_input_token_cost_above_<N>k_tokens},
 * {@code cache_creation_input_token_cost_above_<N>k_tokens},
 * {@code cache_creation_input_token_cost_above_1hr_above_<N>k_tokens} (N thousand prompt
 * tokens; with several thresholds, the lowest).</li>
 * <li>Skipped: {@code sample_spec}; models whose {@code mode} is not {@code chat},
 * {@code responses} or {@code completion} (embeddings, images, audio, rerank, ...);
 * models without both an input and an output price. Batch, flex and priority prices are
 * not read.</li>
 * <li>Keys with a provider prefix ({@code gemini/gemini-2.5-pro},
 * {@code deepseek/deepseek-chat}) are kept as they are, and also give their price to the
 * bare name after the last {@code /} (what providers report as the model), unless a key
 * without prefix has that name or the prefixed keys that share it disagree on the price
 * ({@code azure/gpt-x} and {@code azure/eu/gpt-x} differ by region): then the bare name
 * is left to the key without prefix, or unpriced.</li>
 * </ul>
 * A map that is not JSON, not an object of objects, or has a negative or non-numeric
 * price is rejected with a message naming the model and the field.
 */
public final class LiteLlmPriceMap {

	private static final JsonMapper JSON = JsonMapper.builder()
		// 3e-06 stays 3e-06, not the nearest double.
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.build();

	private static final Set<String> CHAT_MODES = Set.of("chat", "responses", "completion");

	private static final Pattern TIER = Pattern.compile("input_cost_per_token_above_(\\d+)k_tokens");

	private final Map<String, ModelPrices.Price> prices;

	private final int models;

	private final int skipped;

	private LiteLlmPriceMap(Map<String, ModelPrices.Price> prices, int models, int skipped) {
		this.prices = Collections.unmodifiableMap(prices);
		this.models = models;
		this.skipped = skipped;
	}

	/**
	 * Reads a price map; {@code source} names it in error messages.
	 * @throws IllegalArgumentException when the map cannot be used (the message names the
	 * model and field)
	 */
	public static LiteLlmPriceMap read(InputStream in, String source) {
		JsonNode root;
		try {
			root = JSON.readTree(in);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException(source + " is not valid JSON: " + ex.getOriginalMessage(), ex);
		}
		if (root == null || !root.isObject()) {
			throw new IllegalArgumentException(
					source + " is not a LiteLLM price map: expected a JSON object of models, one object each");
		}
		Map<String, ModelPrices.Price> direct = new LinkedHashMap<>();
		Map<String, ModelPrices.Price> aliases = new TreeMap<>();
		Set<String> conflicting = new HashSet<>();
		int skipped = 0;
		for (Map.Entry<String, JsonNode> entry : root.properties()) {
			String key = entry.getKey();
			if (key.equals("sample_spec")) {
				continue;
			}
			JsonNode model = entry.getValue();
			if (!model.isObject()) {
				throw new IllegalArgumentException(source + ": model '" + key + "' is not a JSON object");
			}
			ModelPrices.Price price = price(source, key, model);
			if (price == null) {
				skipped++;
				continue;
			}
			direct.put(key, price);
			int slash = key.lastIndexOf('/');
			if (slash >= 0 && slash < key.length() - 1) {
				String bare = key.substring(slash + 1);
				ModelPrices.Price other = aliases.putIfAbsent(bare, price);
				if (other != null && !other.equals(price)) {
					conflicting.add(bare);
				}
			}
		}
		Map<String, ModelPrices.Price> prices = new LinkedHashMap<>(direct);
		aliases.forEach((bare, price) -> {
			if (!direct.containsKey(bare) && !conflicting.contains(bare)) {
				prices.put(bare, price);
			}
		});
		return new LiteLlmPriceMap(prices, direct.size(), skipped);
	}

	/** The prices by model name, bare-name aliases included. */
	public Map<String, ModelPrices.Price> prices() {
		return this.prices;
	}

	/** How many models of the map were read (aliases not counted). */
	public int models() {
		return this.models;
	}

	/** How many models were skipped (not chat, or without input and output price). */
	public int skipped() {
		return this.skipped;
	}

	private static ModelPrices.@Nullable Price price(String source, String key, JsonNode model) {
		JsonNode mode = model.get("mode");
		if (mode != null && !mode.isNull() && !CHAT_MODES.contains(mode.asString())) {
			return null;
		}
		BigDecimal input = perMillion(source, key, model, "input_cost_per_token");
		BigDecimal output = perMillion(source, key, model, "output_cost_per_token");
		if (input == null || output == null) {
			return null;
		}
		BigDecimal cacheRead = perMillion(source, key, model, "cache_read_input_token_cost");
		ModelPrices.PriceBuilder builder = ModelPrices.Price.builder()
			.prompt(input)
			.completion(output)
			.cachedPrompt(
					(cacheRead != null) ? cacheRead : perMillion(source, key, model, "input_cost_per_token_cache_hit"))
			.cacheWrite(perMillion(source, key, model, "cache_creation_input_token_cost"))
			.cacheWrite1h(perMillion(source, key, model, "cache_creation_input_token_cost_above_1hr"));
		Long threshold = lowestThreshold(model);
		if (threshold != null) {
			String above = "_above_" + threshold + "k_tokens";
			BigDecimal tierOutput = perMillion(source, key, model, "output_cost_per_token" + above);
			builder.tierAbovePromptTokens(threshold * 1000)
				.tierPrompt(perMillion(source, key, model, "input_cost_per_token" + above))
				// Only the input price rises for some models.
				.tierCompletion((tierOutput != null) ? tierOutput : output)
				.tierCachedPrompt(perMillion(source, key, model, "cache_read_input_token_cost" + above))
				.tierCacheWrite(perMillion(source, key, model, "cache_creation_input_token_cost" + above))
				.tierCacheWrite1h(perMillion(source, key, model, "cache_creation_input_token_cost_above_1hr" + above));
		}
		try {
			return builder.build();
		}
		catch (InvalidPriceException ex) {
			throw new IllegalArgumentException(source + ": model '" + key + "': " + ex.getMessage(), ex);
		}
	}

	private static @Nullable Long lowestThreshold(JsonNode model) {
		Long lowest = null;
		for (String field : model.propertyNames()) {
			Matcher matcher = TIER.matcher(field);
			if (matcher.matches()) {
				long threshold = Long.parseLong(matcher.group(1));
				if (threshold > 0 && (lowest == null || threshold < lowest)) {
					lowest = threshold;
				}
			}
		}
		return lowest;
	}

	private static @Nullable BigDecimal perMillion(String source, String key, JsonNode model, String field) {
		JsonNode value = model.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isNumber()) {
			throw new IllegalArgumentException(
					source + ": model '" + key + "', field '" + field + "': not a number: " + value);
		}
		BigDecimal perToken = value.decimalValue();
		if (perToken.signum() < 0) {
			throw new IllegalArgumentException(
					source + ": model '" + key + "', field '" + field + "': a price must not be negative: " + value);
		}
		// Exact: a power of ten only moves the decimal point.
		return perToken.movePointRight(6).stripTrailingZeros();
	}

}
