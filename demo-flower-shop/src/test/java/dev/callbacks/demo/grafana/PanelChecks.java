package dev.callbacks.demo.grafana;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each query of the dashboard must return, computed from what the demo's
 * {@code /actuator/prometheus} showed before and after the measured round of chats.
 * <p>
 * The window of the range queries runs exactly from the scrape that saw the state
 * {@code before} to the scrape that saw the state {@code after}, and the queries are
 * evaluated at the latter, so Prometheus extrapolates nothing: {@code increase()} is the
 * difference, {@code rate()} the difference over the window, a ratio of rates a ratio of
 * differences, and a quantile the interpolation inside the bucket that holds it, as
 * {@code histogram_quantile()} documents it.
 */
final class PanelChecks {

	private static final double RELATIVE_TOLERANCE = 1e-9;

	private static final Map<String, Check> CHECKS = new LinkedHashMap<>();

	static {
		CHECKS.put("Tokens per second/A",
				(result, m) -> vector(result, m.perSecond(m.increase("llm_tokens_total", "model", "client", "type"))));
		CHECKS.put("Cost per hour (USD)/A", (result, m) -> vector(result,
				scale(m.perSecond(m.increase("llm_cost_USD_total", "model", "client")), 3600)));
		CHECKS.put("Tokens in the time range/A",
				(result, m) -> vector(result, m.increase("llm_tokens_total", "model", "client", "type")));
		CHECKS.put("Cost in the time range (USD)/A",
				(result, m) -> vector(result, m.increase("llm_cost_USD_total", "model", "client")));
		CHECKS.put("Tokens since the application started/A",
				(result, m) -> vector(result, m.after().sum("llm_tokens_total", "model", "client", "type")));
		CHECKS.put("LLM requests per second by outcome/A", (result, m) -> vector(result,
				m.perSecond(m.increase("llm_requests_total", "model", "client", "outcome"))));
		CHECKS.put("Error ratio in the time range/A", (result, m) -> {
			Map<Map<String, String>, Double> byOutcome = m.increase("llm_requests_total", "outcome");
			double all = byOutcome.values().stream().mapToDouble(Double::doubleValue).sum();
			assertThat(all).as("requests in the window").isPositive();
			vector(result, Map.of(Map.of(), byOutcome.getOrDefault(Map.of("outcome", "error"), 0.0) / all));
		});
		CHECKS.put("Average time to first token/A", (result, m) -> vector(result, m
			.ratio("llm_time_to_first_token_seconds_sum", "llm_time_to_first_token_seconds_count", "model", "client")));
		CHECKS.put("Time to first token, p50 and p95/A",
				(result, m) -> quantiles(result, m, 0.5, "llm_time_to_first_token_seconds_bucket", "model", "client"));
		CHECKS.put("Time to first token, p50 and p95/B",
				(result, m) -> quantiles(result, m, 0.95, "llm_time_to_first_token_seconds_bucket", "model", "client"));
		CHECKS.put("Average tokens per HTTP request/A", (result, m) -> vector(result,
				m.ratio("llm_http_request_tokens_sum", "llm_http_request_tokens_count", "uri")));
		CHECKS.put("Tokens per HTTP request, p50 and p95/A",
				(result, m) -> quantiles(result, m, 0.5, "llm_http_request_tokens_bucket", "uri"));
		CHECKS.put("Tokens per HTTP request, p50 and p95/B",
				(result, m) -> quantiles(result, m, 0.95, "llm_http_request_tokens_bucket", "uri"));
		CHECKS.put("Distribution of tokens per HTTP request/A",
				(result, m) -> vector(result, m.increase("llm_http_request_tokens_bucket", "le")));
		CHECKS.put("Handler errors per second/A", (result, m) -> vector(result,
				m.perSecond(m.increase("callbacks_handler_errors_total", "handler", "event"))));
		CHECKS.put("Handler errors in the time range/A",
				(result, m) -> vector(result, m.increase("callbacks_handler_errors_total", "handler", "event")));
	}

	private PanelChecks() {
	}

	/** The checks, by {@code "panel title/refId"}. */
	static Map<String, Check> all() {
		return CHECKS;
	}

	static String key(Dashboard.Panel panel, Dashboard.Target target) {
		return panel.title() + "/" + target.refId();
	}

	/**
	 * What the demo's meters showed.
	 *
	 * @param before at the start of the window
	 * @param after at the end of the window
	 * @param window from the scrape that saw {@code before} to the one that saw
	 * {@code after}
	 */
	record Measured(Exposition before, Exposition after, Duration window) {

		Map<Map<String, String>, Double> increase(String name, String... by) {
			return this.after.increase(this.before, name, by);
		}

		Map<Map<String, String>, Double> perSecond(Map<Map<String, String>, Double> increase) {
			return scale(increase, 1000.0 / this.window.toMillis());
		}

		// A ratio of rates over one window is a ratio of increases; groups that saw no
		// observations are left out, as "> 0" leaves them out of the query.
		Map<Map<String, String>, Double> ratio(String sum, String count, String... by) {
			Map<Map<String, String>, Double> sums = increase(sum, by);
			Map<Map<String, String>, Double> ratios = new LinkedHashMap<>();
			increase(count, by).forEach((labels, observations) -> {
				if (observations > 0) {
					ratios.put(labels, sums.get(labels) / observations);
				}
			});
			return ratios;
		}

	}

	/** Asserts what one query returned. */
	@FunctionalInterface
	interface Check {

		void verify(JsonNode result, Measured measured);

	}

	private static Map<Map<String, String>, Double> scale(Map<Map<String, String>, Double> values, double factor) {
		Map<Map<String, String>, Double> scaled = new LinkedHashMap<>();
		values.forEach((labels, value) -> scaled.put(labels, value * factor));
		return scaled;
	}

	// The series Prometheus returned, by their labels, and the values expected of them.
	private static void vector(JsonNode result, Map<Map<String, String>, Double> expected) {
		assertThat(expected).as("the demo measured something for this query").isNotEmpty();
		Map<Map<String, String>, Double> actual = read(result);
		assertThat(actual.keySet()).as("series").containsExactlyInAnyOrderElementsOf(expected.keySet());
		expected.forEach((labels, value) -> assertThat(close(actual.get(labels), value))
			.as("%s: Prometheus %s, the demo's meters %s", labels, actual.get(labels), value)
			.isTrue());
	}

	private static void quantiles(JsonNode result, Measured measured, double quantile, String buckets, String... by) {
		String[] withLe = new String[by.length + 1];
		System.arraycopy(by, 0, withLe, 0, by.length);
		withLe[by.length] = "le";
		Map<Map<String, String>, TreeMap<Double, Double>> histograms = new LinkedHashMap<>();
		measured.increase(buckets, withLe).forEach((labels, count) -> {
			Map<String, String> group = new TreeMap<>(labels);
			double le = Exposition.number(group.remove("le"));
			histograms.computeIfAbsent(group, (key) -> new TreeMap<>()).put(le, count);
		});
		Map<Map<String, String>, Double> actual = read(result);
		assertThat(actual.keySet()).as("series").containsExactlyInAnyOrderElementsOf(histograms.keySet());
		List<Map<String, String>> observed = new ArrayList<>();
		histograms.forEach((group, histogram) -> {
			double value = actual.get(group);
			double total = histogram.lastEntry().getValue();
			if (total == 0) {
				assertThat(value).as("%s saw no observations", group).isNaN();
				return;
			}
			observed.add(group);
			assertThat(close(value, quantile(quantile, histogram)))
				.as("p%s of %s: Prometheus %s, from the demo's buckets %s", quantile * 100, group, value, histogram)
				.isTrue();
		});
		assertThat(observed).as("groups with observations").isNotEmpty();
	}

	// histogram_quantile() as documented: find the bucket that holds the rank, and
	// interpolate linearly inside it; in the +Inf bucket, the highest finite bound.
	private static double quantile(double quantile, TreeMap<Double, Double> histogram) {
		double rank = quantile * histogram.lastEntry().getValue();
		double lower = 0;
		double below = 0;
		for (Map.Entry<Double, Double> bucket : histogram.entrySet()) {
			if (bucket.getValue() >= rank) {
				if (bucket.getKey().isInfinite()) {
					return lower;
				}
				return lower + (bucket.getKey() - lower) * (rank - below) / (bucket.getValue() - below);
			}
			lower = bucket.getKey();
			below = bucket.getValue();
		}
		throw new IllegalStateException("No +Inf bucket in " + histogram);
	}

	private static Map<Map<String, String>, Double> read(JsonNode result) {
		assertThat(result.path("resultType").asString("")).isEqualTo("vector");
		Map<Map<String, String>, Double> values = new LinkedHashMap<>();
		for (JsonNode sample : result.path("result")) {
			Map<String, String> labels = new TreeMap<>();
			sample.path("metric")
				.properties()
				.forEach((label) -> labels.put(label.getKey(), label.getValue().asString()));
			values.put(labels, Exposition.number(sample.path("value").get(1).asString()));
		}
		return values;
	}

	private static boolean close(Double actual, double expected) {
		if (actual == null) {
			return false;
		}
		if (Double.isNaN(expected)) {
			return actual.isNaN();
		}
		return Math.abs(actual - expected) <= RELATIVE_TOLERANCE * Math.max(Math.abs(expected), 1e-12);
	}

}
