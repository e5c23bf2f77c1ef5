package dev.callbacks.demo.web;

import java.util.List;

import dev.callbacks.demo.usage.TokenCounts;

/**
 * Concurrent requests counted by one tracker.
 *
 * @param question what each request asked
 * @param parts each request's answer and usage, by number
 * @param total what the one tracker around all of them counted
 * @param elapsedMillis wall-clock time of all of them together
 */
public record ConcurrentReport(String question, List<Part> parts, TokenCounts total, long elapsedMillis) {

	/**
	 * One of the concurrent requests.
	 *
	 * @param number its number, from 1
	 * @param answer the answer
	 * @param usage its tokens and model calls, added up from its own {@code LlmEndEvent}s
	 */
	public record Part(int number, String answer, TokenCounts usage) {
	}

}
