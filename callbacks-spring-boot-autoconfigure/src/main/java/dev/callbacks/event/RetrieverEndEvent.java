package dev.callbacks.event;

import org.springframework.ai.document.Document;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A retrieval returned {@code documents}.
 */
public record RetrieverEndEvent(UUID runId, @Nullable UUID parentRunId, String name, List<String> tags,
		Map<String, Object> metadata, List<Document> documents) implements CallbackEvent {
}
