package dev.callbacks.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Records {@code llm.http.request.tokens}: the total tokens of one HTTP request, tagged
 * with its route template.
 */
public final class HttpRequestTokens {

	private final MeterRegistry registry;

	public HttpRequestTokens(MeterRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Records {@code totalTokens} for a request to {@code uriTemplate} (a template, never
	 * a raw path).
	 */
	public void record(String uriTemplate, long totalTokens) {
		DistributionSummary.builder(LlmMeters.HTTP_REQUEST_TOKENS)
			.description("Total LLM tokens per HTTP request")
			.baseUnit("tokens")
			.tag(LlmMeters.TAG_URI, uriTemplate)
			.register(this.registry)
			.record(totalTokens);
	}

}
