package dev.callbacks.event;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A streamed token (the text of one chunk). {@code index} counts from 0 within the LLM
 * run.
 */
public record LlmNewTokenEvent(UUID runId, @Nullable UUID parentRunId, String name, List<String> tags,
		Map<String, Object> metadata, String token, int index) implements CallbackEvent {
}
