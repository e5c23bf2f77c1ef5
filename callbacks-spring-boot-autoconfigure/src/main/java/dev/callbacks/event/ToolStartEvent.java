package dev.callbacks.event;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A tool is about to run with {@code input}, the arguments the model sent (JSON).
 */
public record ToolStartEvent(UUID runId, @Nullable UUID parentRunId, String name, List<String> tags,
		Map<String, Object> metadata, String toolName, String input) implements CallbackEvent {
}
