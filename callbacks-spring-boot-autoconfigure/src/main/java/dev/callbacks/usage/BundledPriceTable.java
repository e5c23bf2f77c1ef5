package dev.callbacks.usage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Reads a price table in the bundled format: {@code <model>.<field>=<value>} lines, where
 * the field is one of the price property suffixes ({@code prompt},
 * {@code cache-write-1h}, {@code tier.above-prompt-tokens}, ...), and a
 * {@code # table-date: yyyy-MM-dd} header line.
 *
 * @param date the table's date, {@code null} when its header has none
 * @param prices the prices by model name or prefix
 */
record BundledPriceTable(@Nullable String date, Map<String, ModelPrices.Price> prices) {

	static final String RESOURCE = "dev/callbacks/model-prices.properties";

	private static final Pattern DATE = Pattern.compile("(?m)^#\\s*table-date:\\s*(\\d{4}-\\d{2}-\\d{2})\\s*$");

	static BundledPriceTable load(String resource) {
		byte[] bytes;
		try (InputStream in = BundledPriceTable.class.getClassLoader().getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("Missing bundled price table " + resource);
			}
			bytes = in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + resource, ex);
		}
		return parse(resource, bytes);
	}

	static BundledPriceTable parse(String source, byte[] bytes) {
		Properties properties = new Properties();
		try {
			properties.load(new ByteArrayInputStream(bytes));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + source, ex);
		}
		Map<String, ModelPrices.PriceBuilder> builders = new LinkedHashMap<>();
		for (String key : properties.stringPropertyNames()) {
			String field = fieldOf(key);
			if (field == null) {
				throw new IllegalStateException(source + ": key '" + key + "' is not <model>.<"
						+ String.join("|", ModelPrices.PriceBuilder.FIELDS) + ">");
			}
			String model = key.substring(0, key.length() - field.length() - 1);
			try {
				builders.computeIfAbsent(model, m -> ModelPrices.Price.builder())
					.set(field, properties.getProperty(key));
			}
			catch (InvalidPriceException ex) {
				throw new IllegalStateException(source + ": " + key + ": " + ex.reason(), ex);
			}
		}
		Map<String, ModelPrices.Price> prices = new LinkedHashMap<>();
		builders.forEach((model, builder) -> {
			try {
				prices.put(model, builder.build());
			}
			catch (InvalidPriceException ex) {
				throw new IllegalStateException(source + ": " + model + "." + ex.field() + ": " + ex.reason(), ex);
			}
		});
		Matcher date = DATE.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
		return new BundledPriceTable(date.find() ? date.group(1) : null, prices);
	}

	// Model names may contain dots (gpt-4.1-mini.prompt), so the field is the known
	// suffix, tier fields first (x.tier.prompt also ends in .prompt).
	private static @Nullable String fieldOf(String key) {
		String found = null;
		for (String field : ModelPrices.PriceBuilder.FIELDS) {
			if (key.endsWith("." + field) && key.length() > field.length() + 1
					&& (found == null || field.length() > found.length())) {
				found = field;
			}
		}
		return found;
	}

}
