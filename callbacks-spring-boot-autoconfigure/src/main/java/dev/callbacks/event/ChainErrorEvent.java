package dev.callbacks.event;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A chain run failed (or was cancelled: then {@code error} is a
 * {@link dev.callbacks.RunCancelledException}).
 */
public record ChainErrorEvent(UUID runId, @Nullable UUID parentRunId, String name, List<String> tags,
		Map<String, Object> metadata, Throwable error) implements CallbackEvent {
}
