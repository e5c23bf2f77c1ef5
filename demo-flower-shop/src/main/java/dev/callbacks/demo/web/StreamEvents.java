package dev.callbacks.demo.web;

import java.time.Instant;

import dev.callbacks.budget.BudgetExceededException;
import dev.callbacks.demo.usage.TokenCounts;
import org.jspecify.annotations.Nullable;

/**
 * What {@code GET /api/chat/stream} sends: {@code token} events, then one {@code usage}
 * event (or a {@code budget} event when the customer's budget has no room, or a
 * {@code failure} event).
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

	/**
	 * The customer's budget had no room: no model call was made, or the stream was
	 * stopped when it ran out. The fields of the library's 429 problem detail, in an
	 * event: the page's {@code EventSource} cannot read the body of an error response.
	 *
	 * @param budget the budget's name
	 * @param detail the problem detail's text (without the customer's id)
	 * @param limitTokens the limit in tokens, if the budget has one
	 * @param spentTokens spent or reserved when the round was refused
	 * @param requestedTokens what the round asked for
	 * @param resetsAt when the budget starts afresh
	 * @param retryAfterSeconds seconds until then
	 * @param duringStream whether the answer was cut short (some of it was streamed)
	 */
	public record BudgetExceeded(String budget, String detail, @Nullable Long limitTokens, long spentTokens,
			long requestedTokens, @Nullable Instant resetsAt, @Nullable Long retryAfterSeconds, boolean duringStream) {

		static BudgetExceeded of(BudgetExceededException exception) {
			return new BudgetExceeded(exception.budget(), exception.detail(), exception.limitTokens(),
					exception.spentTokens(), exception.requestedTokens(), exception.resetsAt(),
					exception.retryAfterSeconds(), exception.duringStream());
		}

	}

}
