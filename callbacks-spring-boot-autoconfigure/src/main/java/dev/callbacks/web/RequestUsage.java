package dev.callbacks.web;

import dev.callbacks.UsageTracker;

/**
 * Shared by the WebFlux and MVC integrations: where the request's tracker is kept, the
 * response header and what happens with a request's usage when it ends.
 */
public final class RequestUsage {

	/** Request (exchange) attribute holding the request's {@link UsageTracker}. */
	public static final String ATTRIBUTE = UsageTracker.class.getName();

	/** The response header with the request's usage. */
	public static final String HEADER = "LLM-Usage";

	/**
	 * The {@code uri} tag value when no route template is known, to keep the tag bounded.
	 */
	public static final String UNKNOWN_URI = "UNKNOWN";

	private RequestUsage() {
	}

	/** {@code prompt=12, completion=40, total=52, cost=0.000031}. */
	public static String headerValue(UsageTracker tracker) {
		return "prompt=" + tracker.promptTokens() + ", completion=" + tracker.completionTokens() + ", total="
				+ tracker.totalTokens() + ", cost=" + tracker.totalCost().stripTrailingZeros().toPlainString();
	}

	/**
	 * Whether any LLM run was counted, so that requests without one leave no trace in the
	 * meters.
	 */
	static boolean used(UsageTracker tracker) {
		return tracker.successfulRequests() + tracker.failedRequests() > 0;
	}

	/**
	 * What to do with a request's usage when the request ends, such as recording a meter.
	 */
	@FunctionalInterface
	public interface Recorder {

		/**
		 * Called once per request that used an LLM.
		 * @param uriTemplate the matched route template, or {@link #UNKNOWN_URI}
		 * @param tracker the request's tracker
		 */
		void record(String uriTemplate, UsageTracker tracker);

	}

}
