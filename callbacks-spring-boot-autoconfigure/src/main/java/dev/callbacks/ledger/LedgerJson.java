package dev.callbacks.ledger;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Tags and metadata as JSON text for the ledger's columns. Metadata values may be
 * anything: strings, numbers, booleans, maps and collections become their JSON
 * counterparts, anything else its {@code toString()}. Deep or cyclic structures are cut
 * off rather than followed.
 */
final class LedgerJson {

	private static final int MAX_DEPTH = 8;

	private LedgerJson() {
	}

	static String tags(List<String> tags) {
		StringBuilder json = new StringBuilder(16 * tags.size() + 2);
		value(json, tags, 0);
		return json.toString();
	}

	static String metadata(Map<String, ?> metadata) {
		StringBuilder json = new StringBuilder(32 * metadata.size() + 2);
		value(json, metadata, 0);
		return json.toString();
	}

	private static void value(StringBuilder json, @Nullable Object value, int depth) {
		if (value == null) {
			json.append("null");
		}
		else if (value instanceof CharSequence text) {
			string(json, text);
		}
		else if (value instanceof Boolean) {
			json.append(value);
		}
		else if (value instanceof Number number) {
			number(json, number);
		}
		else if (depth >= MAX_DEPTH) {
			string(json, "...");
		}
		else if (value instanceof Map<?, ?> map) {
			json.append('{');
			boolean first = true;
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				if (!first) {
					json.append(',');
				}
				first = false;
				string(json, String.valueOf(entry.getKey()));
				json.append(':');
				value(json, entry.getValue(), depth + 1);
			}
			json.append('}');
		}
		else if (value instanceof Iterable<?> items) {
			json.append('[');
			boolean first = true;
			for (Object item : items) {
				if (!first) {
					json.append(',');
				}
				first = false;
				value(json, item, depth + 1);
			}
			json.append(']');
		}
		else if (value instanceof Object[] items) {
			value(json, Arrays.asList(items), depth);
		}
		else {
			string(json, text(value));
		}
	}

	private static void number(StringBuilder json, Number number) {
		if (number instanceof Integer || number instanceof Long || number instanceof Short || number instanceof Byte
				|| number instanceof BigInteger) {
			json.append(number);
		}
		else if (number instanceof BigDecimal decimal) {
			json.append(decimal.toPlainString());
		}
		else if ((number instanceof Double || number instanceof Float) && Double.isFinite(number.doubleValue())) {
			json.append(number);
		}
		else {
			// NaN, infinities and unknown Number types have no JSON number form.
			string(json, text(number));
		}
	}

	private static String text(Object value) {
		try {
			return String.valueOf(value);
		}
		catch (RuntimeException ex) {
			return value.getClass().getName();
		}
	}

	private static void string(StringBuilder json, CharSequence text) {
		json.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				case '\n' -> json.append("\\n");
				case '\r' -> json.append("\\r");
				case '\t' -> json.append("\\t");
				case '\b' -> json.append("\\b");
				case '\f' -> json.append("\\f");
				default -> {
					if (c < 0x20 || c == '\u2028' || c == '\u2029') {
						json.append(String.format("\\u%04x", (int) c));
					}
					else {
						json.append(c);
					}
				}
			}
		}
		json.append('"');
	}

}
