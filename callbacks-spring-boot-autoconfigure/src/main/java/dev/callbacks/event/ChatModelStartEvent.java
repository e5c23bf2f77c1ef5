package dev.callbacks.event;

import org.springframework.ai.chat.messages.Message;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A chat model round trip is about to start. {@code messages} are the messages sent to
 * the model, {@code model} the requested model (may be empty when the request names
 * none), {@code streaming} whether the round is streamed.
 */
public record ChatModelStartEvent(UUID runId, @Nullable UUID parentRunId, String name, List<String> tags,
		Map<String, Object> metadata, List<Message> messages, String model,
		boolean streaming) implements CallbackEvent {
}
