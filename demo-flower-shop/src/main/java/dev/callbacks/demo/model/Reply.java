package dev.callbacks.demo.model;

import java.util.List;

import org.springframework.ai.chat.messages.AssistantMessage.ToolCall;

/**
 * What the model decided to say: either text or tool calls.
 *
 * @param text the answer, empty for tool calls
 * @param toolCalls the tools to call, empty for a text answer
 */
record Reply(String text, List<ToolCall> toolCalls) {

	Reply {
		toolCalls = List.copyOf(toolCalls);
	}

	static Reply text(String text) {
		return new Reply(text, List.of());
	}

	static Reply toolCalls(List<ToolCall> toolCalls) {
		return new Reply("", toolCalls);
	}

	boolean hasToolCalls() {
		return !this.toolCalls.isEmpty();
	}

}
