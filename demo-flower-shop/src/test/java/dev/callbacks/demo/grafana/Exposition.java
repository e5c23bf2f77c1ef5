package dev.callbacks.demo.grafana;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code /actuator/prometheus} showed at one moment: the value of every series whose
 * name starts with one of the given prefixes, read from the text exposition format. The
 * expected values of the dashboard's queries are computed from two of these.
 */
final class Exposition {

	private static final Pattern SAMPLE = Pattern
		.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+)(?:\\s+\\d+)?$");

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	private final Map<Series, Double> values;

	private Exposition(Map<Series, Double> values) {
		this.values = values;
	}

	static Exposition parse(String text, String... prefixes) {
		Map<Series, Double> values = new LinkedHashMap<>();
		for (String line : text.split("\n")) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			Matcher sample = SAMPLE.matcher(line.trim());
			if (!sample.matches() || !startsWithAny(sample.group(1), prefixes)) {
				continue;
			}
			Map<String, String> labels = new TreeMap<>();
			if (sample.group(2) != null) {
				Matcher label = LABEL.matcher(sample.group(2));
				while (label.find()) {
					labels.put(label.group(1), unescape(label.group(2)));
				}
			}
			values.put(new Series(sample.group(1), labels), number(sample.group(3)));
		}
		return new Exposition(values);
	}

	Map<Series, Double> values() {
		return this.values;
	}

	/**
	 * The sum of the series of a metric that match, grouped by the labels named: what
	 * {@code sum by (labels) (name{...})} gives.
	 */
	Map<Map<String, String>, Double> sum(String name, Predicate<Series> filter, String... by) {
		Map<Map<String, String>, Double> sums = new LinkedHashMap<>();
		this.values.forEach((series, value) -> {
			if (series.name().equals(name) && filter.test(series)) {
				sums.merge(series.labels(by), value, Double::sum);
			}
		});
		return sums;
	}

	Map<Map<String, String>, Double> sum(String name, String... by) {
		return sum(name, (series) -> true, by);
	}

	/** The same sums over what changed from {@code before} to this exposition. */
	Map<Map<String, String>, Double> increase(Exposition before, String name, String... by) {
		Map<Map<String, String>, Double> now = sum(name, by);
		Map<Map<String, String>, Double> then = before.sum(name, by);
		Map<Map<String, String>, Double> increase = new LinkedHashMap<>();
		now.forEach((labels, value) -> increase.put(labels, value - then.getOrDefault(labels, 0.0)));
		return increase;
	}

	private static boolean startsWithAny(String name, String... prefixes) {
		for (String prefix : prefixes) {
			if (name.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	static double number(String text) {
		return switch (text) {
			case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
			case "-Inf" -> Double.NEGATIVE_INFINITY;
			case "NaN" -> Double.NaN;
			default -> Double.parseDouble(text);
		};
	}

	private static String unescape(String value) {
		return value.replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\");
	}

}
