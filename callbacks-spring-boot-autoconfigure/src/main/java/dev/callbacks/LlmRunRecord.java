package dev.callbacks;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.callbacks.event.RunIdentity;
import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;

/**
 * What an ended LLM run leaves for accounting: the input of {@link CallbackObserver}s
 * such as the Micrometer meters and the usage ledger. Carries no prompt or completion
 * text.
 *
 * @param runId the LLM run's id, as in its events
 * @param chainRunId the id of the chain run it belongs to
 * @param startedAt when the run started
 * @param client the chain run's name ({@code chat_client} unless a level names it)
 * @param provider the provider that served it ({@code openai}, {@code anthropic}, ...),
 * or {@code unknown}
 * @param model the model that answered (or was asked for, when the call failed before
 * answering)
 * @param usage the round's tokens
 * @param cost USD, or {@code null} when the model has no price
 * @param outcome how the run ended
 * @param streaming whether the round was streamed
 * @param durationNanos from the start event to the end or error
 * @param timeToFirstTokenNanos for a stream, from calling the model (after the start
 * handlers) to the first token; {@code -1} otherwise
 * @param identity the user, tenant and conversation the run was made for, where known
 * @param tags the run's tags
 * @param metadata the run's metadata, for attribution tags
 * @param requestedModel the model the request asked for ({@code ""} when it named none)
 */
public record LlmRunRecord(UUID runId, UUID chainRunId, Instant startedAt, String client, String provider, String model,
		TokenUsage usage, @Nullable BigDecimal cost, Outcome outcome, boolean streaming, long durationNanos,
		long timeToFirstTokenNanos, RunIdentity identity, List<String> tags, Map<String, Object> metadata,
		String requestedModel) {

	/** A record whose request asked for the model that answered. */
	public LlmRunRecord(UUID runId, UUID chainRunId, Instant startedAt, String client, String provider, String model,
			TokenUsage usage, @Nullable BigDecimal cost, Outcome outcome, boolean streaming, long durationNanos,
			long timeToFirstTokenNanos, RunIdentity identity, List<String> tags, Map<String, Object> metadata) {
		this(runId, chainRunId, startedAt, client, provider, model, usage, cost, outcome, streaming, durationNanos,
				timeToFirstTokenNanos, identity, tags, metadata, model);
	}

	/** The provider name when it is not known. */
	public static final String UNKNOWN_PROVIDER = "unknown";

	/** Whether the run ended without error, cancellation or rejection. */
	public boolean success() {
		return this.outcome == Outcome.SUCCESS;
	}

	/** How an LLM run ended. */
	public enum Outcome {

		/** The model answered. */
		SUCCESS,

		/** The model call (or a raising handler) failed. */
		ERROR,

		/** The subscriber cancelled the stream. */
		CANCELLED,

		/** The round was not sent to the provider (for example, over budget). */
		REJECTED;

		/** The lower-case name used in meter tags and ledger rows. */
		public String tagValue() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

}
