package dev.callbacks;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;

/**
 * What an ended embedding call leaves for accounting: the input of
 * {@link CallbackObserver#onEmbeddingRun(EmbeddingRunRecord)}, such as the
 * {@code llm.embedding.*} meters. Carries no input text and no vectors.
 *
 * @param runId the embedding run's id, as in its events
 * @param parentRunId the run the call was made from (a retrieval, a chain, a tool);
 * {@code null} for a call made outside any run, such as indexing at start-up
 * @param chainRunId the chain run it belongs to; {@code null} outside any run
 * @param client the chain run's name, or {@link #NO_CLIENT} outside any run
 * @param provider the provider that served it ({@code openai}, ...), or {@code unknown}
 * @param model the model that embedded (or was asked for, when the call failed)
 * @param usage the input tokens; embeddings have no output tokens
 * @param cost USD, or {@code null} when the model has no price
 * @param success whether the call returned without throwing
 * @param inputs how many texts were embedded
 * @param durationNanos from the start event to the end or error
 * @param tags the run's tags
 * @param metadata the run's metadata
 */
public record EmbeddingRunRecord(UUID runId, @Nullable UUID parentRunId, @Nullable UUID chainRunId, String client,
		String provider, String model, TokenUsage usage, @Nullable BigDecimal cost, boolean success, int inputs,
		long durationNanos, List<String> tags, Map<String, Object> metadata) {

	/** The client name of an embedding call made outside any {@code ChatClient} call. */
	public static final String NO_CLIENT = "none";

}
