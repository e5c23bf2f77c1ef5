package dev.callbacks.event;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An embedding model is about to embed {@code inputs}. The parent run is the retrieval
 * (or chain, or tool) the call is made from; {@code null} for a call made outside any
 * run, such as indexing documents at start-up.
 *
 * @param model the requested model: the request's, else the model's default where the
 * model exposes it ({@code getOptions()}), else {@code ""}
 */
public record EmbeddingStartEvent(UUID runId, @Nullable UUID parentRunId, String name, List<String> tags,
		Map<String, Object> metadata, List<String> inputs, String model) implements CallbackEvent {
}
