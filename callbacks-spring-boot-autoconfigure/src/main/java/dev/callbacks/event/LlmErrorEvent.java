package dev.callbacks.event;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An LLM run failed (or was cancelled: then {@code error} is a
 * {@link dev.callbacks.RunCancelledException}).
 */
public record LlmErrorEvent(UUID runId, @Nullable UUID parentRunId, String name, List<String> tags,
		Map<String, Object> metadata, Throwable error) implements CallbackEvent {
}
