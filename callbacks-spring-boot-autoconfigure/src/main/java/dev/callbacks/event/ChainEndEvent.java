package dev.callbacks.event;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;

/**
 * A chain run ended. {@code outputs} holds {@code output}, the final answer's text (empty
 * when no handler of the run reads outputs), and {@code usage}, the sum over every LLM
 * run of the chain, which is also {@link #usage()}.
 */
public record ChainEndEvent(UUID runId, @Nullable UUID parentRunId, String name, List<String> tags,
		Map<String, Object> metadata, Map<String, Object> outputs) implements CallbackEvent {

	/** The tokens of every LLM run of this chain, summed. */
	public TokenUsage usage() {
		return (this.outputs.get("usage") instanceof TokenUsage usage) ? usage : TokenUsage.ZERO;
	}

}
