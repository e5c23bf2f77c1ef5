package dev.callbacks.event;

import dev.callbacks.usage.TokenUsage;
import org.springframework.ai.chat.model.ChatResponse;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An LLM run ended: the model's {@code response} (for a stream, the chunks aggregated),
 * the round's {@code usage} and the {@code model} that answered.
 */
public record LlmEndEvent(UUID runId, @Nullable UUID parentRunId, String name, List<String> tags,
		Map<String, Object> metadata, ChatResponse response, TokenUsage usage, String model) implements CallbackEvent {
}
