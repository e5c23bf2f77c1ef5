package dev.callbacks.handlers;

import java.util.List;
import java.util.Map;

import dev.callbacks.usage.TokenUsage;
import dev.callbacks.event.CallbackEvent;
import dev.callbacks.event.ChainEndEvent;
import dev.callbacks.event.ChainErrorEvent;
import dev.callbacks.event.ChainStartEvent;
import dev.callbacks.event.ChatModelStartEvent;
import dev.callbacks.event.CustomEvent;
import dev.callbacks.event.LlmEndEvent;
import dev.callbacks.event.LlmErrorEvent;
import dev.callbacks.event.LlmNewTokenEvent;
import dev.callbacks.event.RetrieverEndEvent;
import dev.callbacks.event.RetrieverErrorEvent;
import dev.callbacks.event.RetrieverStartEvent;
import dev.callbacks.event.ToolEndEvent;
import dev.callbacks.event.ToolErrorEvent;
import dev.callbacks.event.ToolStartEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.model.Generation;

/**
 * One-line descriptions of events, shared by the built-in handlers. Prompt and completion
 * text (and tool input and output, which often carry it) appear only with
 * {@code includeContent}.
 */
final class EventFormatter {

	private static final int MAX_CONTENT = 500;

	private final boolean includeContent;

	EventFormatter(boolean includeContent) {
		this.includeContent = includeContent;
	}

	/** The event's kind, as a short snake-case word. */
	static String kind(CallbackEvent event) {
		// No pattern switch: the baseline is Java 17.
		if (event instanceof ChatModelStartEvent) {
			return "llm_start";
		}
		if (event instanceof LlmNewTokenEvent) {
			return "llm_new_token";
		}
		if (event instanceof LlmEndEvent) {
			return "llm_end";
		}
		if (event instanceof LlmErrorEvent) {
			return "llm_error";
		}
		if (event instanceof ChainStartEvent) {
			return "chain_start";
		}
		if (event instanceof ChainEndEvent) {
			return "chain_end";
		}
		if (event instanceof ChainErrorEvent) {
			return "chain_error";
		}
		if (event instanceof ToolStartEvent) {
			return "tool_start";
		}
		if (event instanceof ToolEndEvent) {
			return "tool_end";
		}
		if (event instanceof ToolErrorEvent) {
			return "tool_error";
		}
		if (event instanceof RetrieverStartEvent) {
			return "retriever_start";
		}
		if (event instanceof RetrieverEndEvent) {
			return "retriever_end";
		}
		if (event instanceof RetrieverErrorEvent) {
			return "retriever_error";
		}
		return "custom_event";
	}

	/** What happened, without ids: {@code llm_end model=gpt-4o-mini tokens=12+40=52}. */
	String describe(CallbackEvent event) {
		StringBuilder line = new StringBuilder(kind(event));
		if (event instanceof ChatModelStartEvent e) {
			line.append(" model=").append(e.model().isEmpty() ? "-" : e.model());
			line.append(" messages=").append(e.messages().size());
			line.append(e.streaming() ? " streaming" : "");
			content(line, "prompt", lastText(e.messages()));
		}
		else if (event instanceof LlmNewTokenEvent e) {
			line.append(" index=").append(e.index());
			content(line, "token", e.token());
		}
		else if (event instanceof LlmEndEvent e) {
			line.append(" model=").append(e.model());
			usage(line, e.usage());
			Generation result = e.response().getResult();
			content(line, "completion", (result != null) ? result.getOutput().getText() : null);
		}
		else if (event instanceof LlmErrorEvent e) {
			error(line, e.error());
		}
		else if (event instanceof ChainStartEvent e) {
			content(line, "input", (e.inputs().get("input") instanceof String input) ? input : null);
		}
		else if (event instanceof ChainEndEvent e) {
			usage(line, e.usage());
			content(line, "output", (e.outputs().get("output") instanceof String output) ? output : null);
		}
		else if (event instanceof ChainErrorEvent e) {
			error(line, e.error());
		}
		else if (event instanceof ToolStartEvent e) {
			line.append(" tool=").append(e.toolName());
			content(line, "input", e.input());
		}
		else if (event instanceof ToolEndEvent e) {
			line.append(" tool=").append(e.toolName());
			content(line, "output", e.output());
		}
		else if (event instanceof ToolErrorEvent e) {
			line.append(" tool=").append(e.toolName());
			error(line, e.error());
		}
		else if (event instanceof RetrieverStartEvent e) {
			content(line, "query", e.query());
		}
		else if (event instanceof RetrieverEndEvent e) {
			line.append(" documents=").append(e.documents().size());
		}
		else if (event instanceof RetrieverErrorEvent e) {
			error(line, e.error());
		}
		else if (event instanceof CustomEvent e) {
			line.append(" event=").append(e.eventName());
		}
		return line.toString();
	}

	/**
	 * {@link #describe} with the run's identity: name, run id, parent id, tags, metadata.
	 */
	String describeWithRun(CallbackEvent event) {
		StringBuilder line = new StringBuilder(describe(event));
		line.append(" name=").append(event.name());
		line.append(" run=").append(event.runId());
		if (event.parentRunId() != null) {
			line.append(" parent=").append(event.parentRunId());
		}
		List<String> tags = event.tags();
		if (!tags.isEmpty()) {
			line.append(" tags=").append(tags);
		}
		Map<String, Object> metadata = event.metadata();
		if (!metadata.isEmpty()) {
			line.append(" metadata=").append(metadata);
		}
		return line.toString();
	}

	private static void usage(StringBuilder line, TokenUsage usage) {
		line.append(" tokens=")
			.append(usage.promptTokens())
			.append('+')
			.append(usage.completionTokens())
			.append('=')
			.append(usage.totalTokens());
		if (usage.estimated()) {
			line.append(" (estimated)");
		}
	}

	private static void error(StringBuilder line, Throwable error) {
		line.append(" error=")
			.append(error.getClass().getSimpleName())
			.append(": ")
			.append(oneLine(error.getMessage()));
	}

	private void content(StringBuilder line, String label, @Nullable String text) {
		if (this.includeContent && text != null) {
			line.append(' ').append(label).append("=\"").append(oneLine(text)).append('"');
		}
	}

	private static String oneLine(@Nullable String text) {
		if (text == null) {
			return "";
		}
		String flat = text.replace("\r", "\\r").replace("\n", "\\n");
		return (flat.length() > MAX_CONTENT) ? flat.substring(0, MAX_CONTENT) + "…" : flat;
	}

	private static @Nullable String lastText(List<Message> messages) {
		return messages.isEmpty() ? null : messages.get(messages.size() - 1).getText();
	}

}
