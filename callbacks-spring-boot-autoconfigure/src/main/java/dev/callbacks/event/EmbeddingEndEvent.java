package dev.callbacks.event;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;

/**
 * An embedding call ended. The vectors themselves are not carried: they are large and
 * handlers have no use for them.
 *
 * @param usage the input tokens (embeddings have no output tokens), as the provider
 * reported them or estimated ({@link TokenUsage#estimated()})
 * @param model the model that embedded, as the provider named it where it did
 * @param embeddings how many vectors came back
 */
public record EmbeddingEndEvent(UUID runId, @Nullable UUID parentRunId, String name, List<String> tags,
		Map<String, Object> metadata, TokenUsage usage, String model, int embeddings) implements CallbackEvent {
}
