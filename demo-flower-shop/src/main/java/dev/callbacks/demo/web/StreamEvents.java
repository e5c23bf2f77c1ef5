package dev.callbacks.demo.web;

import dev.callbacks.demo.usage.TokenCounts;

/**
 * What {@code GET /api/chat/stream} sends: {@code token} events, then one {@code usage}
 * event (or a {@code failure} event).
 */
public final class StreamEvents {

	private StreamEvents() {
	}

	/**
	 * A streamed piece of the answer. JSON, so that leading spaces and line breaks
	 * survive SSE.
	 *
	 * @param text the piece of text
	 */
	public record Token(String text) {
	}

	/**
	 * The last event: the request's usage and the shop's totals since start-up.
	 *
	 * @param conversationId the conversation, to continue it
	 * @param model the model that answered
	 * @param request this request's tokens, model calls and cost
	 * @param totals all requests' tokens, model calls and cost since start-up, from the
	 * {@code llm.*} meters
	 */
	public record Usage(String conversationId, String model, TokenCounts request, TokenCounts totals) {
	}

	/**
	 * The stream failed.
	 *
	 * @param message what went wrong
	 */
	public record Failure(String message) {
	}

}
