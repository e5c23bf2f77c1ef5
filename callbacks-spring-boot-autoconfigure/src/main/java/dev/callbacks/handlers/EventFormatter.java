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
 * text (and tool input and output, and exception messages, which often quote them) appear
 * only with {@code includeContent}. Whatever the input, a description is one line: line
 * breaks and other control characters in names, tags, metadata and text are escaped
 * ({@link #singleLine}), so no input can forge a line.
 */
final class EventFormatter {

	private static final int MAX_CONTENT = 500;

	private static final char[] HEX = "0123456789abcdef".toCharArray();

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
		return singleLine(line.toString());
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
		return singleLine(line.toString());
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

	// The message of a provider's error often quotes the prompt (a 400 that repeats the
	// offending input): only the type, and the HTTP status the type carries, unless
	// content is asked for.
	private void error(StringBuilder line, Throwable error) {
		line.append(" error=").append(typeName(error));
		Integer status = HttpStatuses.of(error);
		if (status != null) {
			line.append(" status=").append(status);
		}
		Throwable root = error;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		if (root != error && root.getClass() != error.getClass()) {
			line.append(" cause=").append(typeName(root));
		}
		if (this.includeContent && error.getMessage() != null) {
			line.append(": ").append(truncate(error.getMessage()));
		}
	}

	private static String typeName(Throwable error) {
		String name = error.getClass().getSimpleName();
		return name.isEmpty() ? error.getClass().getName() : name;
	}

	private void content(StringBuilder line, String label, @Nullable String text) {
		if (this.includeContent && text != null) {
			line.append(' ').append(label).append("=\"").append(truncate(text)).append('"');
		}
	}

	private static String truncate(String text) {
		return (text.length() > MAX_CONTENT) ? text.substring(0, MAX_CONTENT) + "…" : text;
	}

	/**
	 * {@code text} on one line: CR, LF and tab as backslash-r, backslash-n, backslash-t;
	 * other C0 and C1 controls, DEL, the Unicode line and paragraph separators and the
	 * bidirectional controls as backslash-u and four hex digits. Text without them is
	 * returned as is; escaping twice changes nothing (a backslash is not escaped).
	 */
	static String singleLine(String text) {
		int length = text.length();
		int first = 0;
		while (first < length && !needsEscape(text.charAt(first))) {
			first++;
		}
		if (first == length) {
			return text;
		}
		StringBuilder escaped = new StringBuilder(length + 16).append(text, 0, first);
		for (int i = first; i < length; i++) {
			char c = text.charAt(i);
			if (!needsEscape(c)) {
				escaped.append(c);
			}
			else if (c == '\n') {
				escaped.append("\\n");
			}
			else if (c == '\r') {
				escaped.append("\\r");
			}
			else if (c == '\t') {
				escaped.append("\\t");
			}
			else {
				escaped.append("\\u")
					.append(HEX[(c >> 12) & 0xF])
					.append(HEX[(c >> 8) & 0xF])
					.append(HEX[(c >> 4) & 0xF])
					.append(HEX[c & 0xF]);
			}
		}
		return escaped.toString();
	}

	// C0, DEL and C1; U+2028 and U+2029 (line and paragraph separators, which some
	// readers break lines at); U+202A to U+202E and U+2066 to U+2069 (bidirectional
	// controls, which reorder what a reader sees).
	private static boolean needsEscape(char c) {
		return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029 || (c >= 0x202A && c <= 0x202E)
				|| (c >= 0x2066 && c <= 0x2069);
	}

	private static @Nullable String lastText(List<Message> messages) {
		return messages.isEmpty() ? null : messages.get(messages.size() - 1).getText();
	}

}
