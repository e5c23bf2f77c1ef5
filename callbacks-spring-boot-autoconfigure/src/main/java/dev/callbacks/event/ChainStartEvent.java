package dev.callbacks.event;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A chain run (one {@code ChatClient} call or stream) started. {@code inputs} holds
 * {@code messages} (the prompt's messages) and {@code input} (the user text, if any).
 */
public record ChainStartEvent(UUID runId, @Nullable UUID parentRunId, String name, List<String> tags,
		Map<String, Object> metadata, Map<String, Object> inputs) implements CallbackEvent {
}
