package dev.callbacks.demo.grafana;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One time series: a metric name and its labels.
 *
 * @param name the metric name, e.g. {@code llm_tokens_total}
 * @param labels the labels, sorted by name
 */
record Series(String name, Map<String, String> labels) {

	Series {
		labels = Collections.unmodifiableMap(new TreeMap<>(labels));
	}

	/** The labels named, and only those: what {@code sum by (...)} keeps. */
	Map<String, String> labels(String... names) {
		Map<String, String> kept = new TreeMap<>();
		for (String name : names) {
			String value = this.labels.get(name);
			if (value != null) {
				kept.put(name, value);
			}
		}
		return kept;
	}

}
