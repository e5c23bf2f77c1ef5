package dev.callbacks;

import java.math.BigDecimal;
import java.util.Map;

import dev.callbacks.usage.TokenUsage;

import org.jspecify.annotations.Nullable;

/**
 * What an ended LLM run leaves for accounting: the input of {@link CallbackObserver}s
 * such as the Micrometer meters. Carries no prompt or completion text.
 *
 * @param client the chain run's name ({@code chat_client} unless a level names it)
 * @param model the model that answered (or was asked for, when the call failed before
 * answering)
 * @param usage the round's tokens
 * @param cost USD, or {@code null} when the model has no price
 * @param success whether the run ended without error or cancellation
 * @param streaming whether the round was streamed
 * @param durationNanos from the start event to the end or error
 * @param timeToFirstTokenNanos for a stream, from calling the model (after the start
 * handlers) to the first token; {@code -1} otherwise
 * @param metadata the run's metadata, for attribution tags
 */
public record LlmRunRecord(String client, String model, TokenUsage usage, @Nullable BigDecimal cost, boolean success,
		boolean streaming, long durationNanos, long timeToFirstTokenNanos, Map<String, Object> metadata) {
}
