package dev.callbacks.event;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A custom event dispatched with
 * {@link dev.callbacks.Callbacks#dispatchCustomEvent(String, Object)} from inside a run.
 */
public record CustomEvent(UUID runId, @Nullable UUID parentRunId, String name, List<String> tags,
		Map<String, Object> metadata, String eventName, @Nullable Object data) implements CallbackEvent {
}
