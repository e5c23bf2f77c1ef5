package dev.callbacks.event;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A tool threw {@code error}.
 */
public record ToolErrorEvent(UUID runId, @Nullable UUID parentRunId, String name, List<String> tags,
		Map<String, Object> metadata, String toolName, Throwable error) implements CallbackEvent {
}
