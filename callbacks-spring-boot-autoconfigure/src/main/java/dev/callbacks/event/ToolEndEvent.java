package dev.callbacks.event;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A tool returned {@code output}.
 */
public record ToolEndEvent(UUID runId, @Nullable UUID parentRunId, String name, List<String> tags,
		Map<String, Object> metadata, String toolName, String output) implements CallbackEvent {
}
