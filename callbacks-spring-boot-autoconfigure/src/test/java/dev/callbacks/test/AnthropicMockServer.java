package dev.callbacks.test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import okhttp3.mockwebserver.MockResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local server that speaks the Anthropic Messages API ({@code POST /v1/messages}) so
 * that Spring AI's real Anthropic client (the Anthropic Java SDK underneath) can be
 * tested without the network: one JSON {@code message} for a call, and for
 * {@code "stream": true} the server-sent events {@code message_start} (input-side usage,
 * {@code output_tokens: 1}), a {@code content_block_start} / {@code _delta} /
 * {@code _stop} triple per block (thinking, text, tool use), {@code message_delta} (stop
 * reason and cumulative usage) and {@code message_stop}.
 * <p>
 * Usage is as Anthropic sends it: {@code input_tokens} counts only the tokens after the
 * last cache breakpoint; {@code cache_read_input_tokens} and
 * {@code cache_creation_input_tokens} come on top, and {@code cache_creation} splits the
 * writes by time to live. In a stream, {@code message_start} carries all input-side
 * counts and {@code message_delta} the cumulative counts without the split
 * (platform.claude.com/docs/en/build-with-claude/streaming,
 * platform.claude.com/docs/en/build-with-claude/prompt-caching).
 * <p>
 * Spring Boot: {@link #springBootProperties()} ({@code spring.ai.anthropic.base-url} and
 * friends).
 */
public final class AnthropicMockServer extends WireFormatServer<AnthropicMockServer.Reply> {

	/** The model the client asks for and the server says answered. */
	public static final String MODEL = "claude-sonnet-4-20250514";

	private static final Pattern WORD_BOUNDARY = Pattern.compile("(?=\\s)(?<=\\S)");

	// The SDK streams tool input JSON in fragments.
	private static final int JSON_FRAGMENT_LENGTH = 8;

	public static AnthropicMockServer start() {
		return new AnthropicMockServer();
	}

	/**
	 * Properties for Spring AI's {@code AnthropicChatAutoConfiguration} pointing at this
	 * server, with no retries.
	 */
	public String[] springBootProperties() {
		return new String[] { "spring.ai.model.chat=anthropic", "spring.ai.anthropic.base-url=" + baseUrl(),
				"spring.ai.anthropic.api-key=test", "spring.ai.anthropic.max-retries=0",
				"spring.ai.anthropic.chat.model=" + MODEL, "spring.ai.anthropic.chat.max-tokens=1024" };
	}

	@Override
	protected boolean serves(String method, String path) {
		return "POST".equals(method) && path.startsWith("/v1/messages");
	}

	@Override
	protected MockResponse error(int status, String message) {
		ObjectNode root = json.createObjectNode().put("type", "error");
		root.putObject("error").put("type", (status == 404) ? "not_found_error" : "api_error").put("message", message);
		return new MockResponse().setResponseCode(status)
			.setHeader("Content-Type", "application/json")
			.setBody(write(root));
	}

	@Override
	protected MockResponse render(Reply reply, Call call) {
		String id = "msg_mock_" + call.index();
		MockResponse response = new MockResponse().setHeader("request-id", "req_mock_" + call.index());
		if (!call.body().path("stream").asBoolean(false)) {
			ObjectNode message = message(id, reply);
			ArrayNode content = message.putArray("content");
			if (reply.thinking() != null) {
				content.addObject()
					.put("type", "thinking")
					.put("thinking", reply.thinking())
					.put("signature", "sig_mock");
			}
			if (!reply.tokens().isEmpty()) {
				content.addObject().put("type", "text").put("text", String.join("", reply.tokens()));
			}
			for (ToolCall toolCall : reply.toolCalls()) {
				content.addObject()
					.put("type", "tool_use")
					.put("id", toolCall.id())
					.put("name", toolCall.name())
					.set("input", json.readTree(toolCall.input()));
			}
			message.put("stop_reason", reply.stopReason());
			message.putNull("stop_sequence");
			message.set("usage", reply.usage().toJson(false, true));
			return response.setHeader("Content-Type", "application/json").setBody(write(message));
		}
		List<String> events = new ArrayList<>();
		ObjectNode start = message(id, reply);
		start.putArray("content");
		start.putNull("stop_reason");
		start.putNull("stop_sequence");
		start.set("usage", reply.usage().toJson(true, true));
		events.add(event("message_start", json.createObjectNode().put("type", "message_start").set("message", start)));
		int index = 0;
		if (reply.thinking() != null) {
			events.add(blockStart(index, json.createObjectNode().put("type", "thinking").put("thinking", "")));
			events.add(blockDelta(index,
					json.createObjectNode().put("type", "thinking_delta").put("thinking", reply.thinking())));
			events.add(blockDelta(index,
					json.createObjectNode().put("type", "signature_delta").put("signature", "sig_mock")));
			events.add(blockStop(index++));
		}
		if (!reply.tokens().isEmpty()) {
			events.add(blockStart(index, json.createObjectNode().put("type", "text").put("text", "")));
			events.add(event("ping", json.createObjectNode().put("type", "ping")));
			for (String token : reply.tokens()) {
				events.add(blockDelta(index, json.createObjectNode().put("type", "text_delta").put("text", token)));
			}
			events.add(blockStop(index++));
		}
		for (ToolCall toolCall : reply.toolCalls()) {
			ObjectNode block = json.createObjectNode()
				.put("type", "tool_use")
				.put("id", toolCall.id())
				.put("name", toolCall.name());
			block.putObject("input");
			events.add(blockStart(index, block));
			String input = toolCall.input();
			for (int from = 0; from < input.length(); from += JSON_FRAGMENT_LENGTH) {
				String fragment = input.substring(from, Math.min(input.length(), from + JSON_FRAGMENT_LENGTH));
				events.add(blockDelta(index,
						json.createObjectNode().put("type", "input_json_delta").put("partial_json", fragment)));
			}
			events.add(blockStop(index++));
		}
		ObjectNode delta = json.createObjectNode().put("type", "message_delta");
		delta.putObject("delta").put("stop_reason", reply.stopReason()).putNull("stop_sequence");
		delta.set("usage", reply.usage().toJson(false, false));
		events.add(event("message_delta", delta));
		events.add(event("message_stop", json.createObjectNode().put("type", "message_stop")));
		return response.setHeader("Content-Type", "text/event-stream; charset=utf-8").setBody(String.join("", events));
	}

	private static ObjectNode message(String id, Reply reply) {
		return json.createObjectNode()
			.put("id", id)
			.put("type", "message")
			.put("role", "assistant")
			.put("model", reply.model());
	}

	private static String blockStart(int index, ObjectNode block) {
		return event("content_block_start",
				json.createObjectNode()
					.put("type", "content_block_start")
					.put("index", index)
					.set("content_block", block));
	}

	private static String blockDelta(int index, ObjectNode delta) {
		return event("content_block_delta",
				json.createObjectNode().put("type", "content_block_delta").put("index", index).set("delta", delta));
	}

	private static String blockStop(int index) {
		return event("content_block_stop",
				json.createObjectNode().put("type", "content_block_stop").put("index", index));
	}

	private static String event(String name, ObjectNode data) {
		return "event: " + name + "\ndata: " + write(data) + "\n\n";
	}

	/**
	 * What the server answers: thinking, text and tool uses, with usage.
	 *
	 * @param thinking a thinking block before the answer, if any
	 * @param tokens the text, one element per streamed delta
	 * @param toolCalls tool uses; the reply then stops with {@code tool_use}
	 * @param usage the usage to report
	 * @param model the model the server says answered
	 */
	public record Reply(@Nullable String thinking, List<String> tokens, List<ToolCall> toolCalls, Usage usage,
			String model) {

		public Reply {
			tokens = List.copyOf(tokens);
			toolCalls = List.copyOf(toolCalls);
		}

		/** Text, streamed one word (with its leading whitespace) per delta. */
		public static Reply text(String text) {
			return new Reply(null, List.of(WORD_BOUNDARY.split(text)), List.of(), Usage.of(10, 5), MODEL);
		}

		/** One tool use. */
		public static Reply toolCall(String id, String name, String input) {
			return new Reply(null, List.of(), List.of(new ToolCall(id, name, input)), Usage.of(10, 5), MODEL);
		}

		public Reply withThinking(String thinking) {
			return new Reply(thinking, this.tokens, this.toolCalls, this.usage, this.model);
		}

		public Reply withUsage(Usage usage) {
			return new Reply(this.thinking, this.tokens, this.toolCalls, usage, this.model);
		}

		String stopReason() {
			return this.toolCalls.isEmpty() ? "end_turn" : "tool_use";
		}

	}

	/**
	 * A tool use the model asks for.
	 *
	 * @param id e.g. {@code toolu_01}
	 * @param name the tool name
	 * @param input the input as a JSON object string
	 */
	public record ToolCall(String id, String name, String input) {
	}

	/**
	 * The {@code usage} object as Anthropic reports it; nothing is added up here.
	 *
	 * @param inputTokens {@code input_tokens}: after the last cache breakpoint only
	 * @param cacheReadInputTokens {@code cache_read_input_tokens}
	 * @param cacheWrite5mTokens {@code cache_creation.ephemeral_5m_input_tokens}
	 * @param cacheWrite1hTokens {@code cache_creation.ephemeral_1h_input_tokens}
	 * @param outputTokens {@code output_tokens}, thinking included
	 * @param thinkingTokens {@code output_tokens_details.thinking_tokens} (the field of
	 * the Anthropic Java SDK's {@code OutputTokensDetails}), or {@code null} to omit it
	 */
	public record Usage(long inputTokens, long cacheReadInputTokens, long cacheWrite5mTokens, long cacheWrite1hTokens,
			long outputTokens, @Nullable Long thinkingTokens) {

		public static Usage of(long inputTokens, long outputTokens) {
			return new Usage(inputTokens, 0, 0, 0, outputTokens, null);
		}

		public Usage withCacheRead(long tokens) {
			return new Usage(this.inputTokens, tokens, this.cacheWrite5mTokens, this.cacheWrite1hTokens,
					this.outputTokens, this.thinkingTokens);
		}

		public Usage withCacheWrite5m(long tokens) {
			return new Usage(this.inputTokens, this.cacheReadInputTokens, tokens, this.cacheWrite1hTokens,
					this.outputTokens, this.thinkingTokens);
		}

		public Usage withCacheWrite1h(long tokens) {
			return new Usage(this.inputTokens, this.cacheReadInputTokens, this.cacheWrite5mTokens, tokens,
					this.outputTokens, this.thinkingTokens);
		}

		public Usage withThinking(long tokens) {
			return new Usage(this.inputTokens, this.cacheReadInputTokens, this.cacheWrite5mTokens,
					this.cacheWrite1hTokens, this.outputTokens, tokens);
		}

		/** {@code cache_creation_input_tokens}: both times to live. */
		public long cacheCreationInputTokens() {
			return this.cacheWrite5mTokens + this.cacheWrite1hTokens;
		}

		/**
		 * @param start {@code message_start}: output so far is 1 token
		 * @param split whether to add the {@code cache_creation} split and the service
		 * tier (a message and {@code message_start} have them, {@code message_delta} does
		 * not)
		 */
		ObjectNode toJson(boolean start, boolean split) {
			ObjectNode usage = json.createObjectNode()
				.put("input_tokens", this.inputTokens)
				.put("cache_creation_input_tokens", cacheCreationInputTokens())
				.put("cache_read_input_tokens", this.cacheReadInputTokens);
			if (split) {
				usage.putObject("cache_creation")
					.put("ephemeral_5m_input_tokens", this.cacheWrite5mTokens)
					.put("ephemeral_1h_input_tokens", this.cacheWrite1hTokens);
			}
			usage.put("output_tokens", start ? 1 : this.outputTokens);
			if (!start && this.thinkingTokens != null) {
				usage.putObject("output_tokens_details").put("thinking_tokens", this.thinkingTokens);
			}
			if (split) {
				usage.put("service_tier", "standard");
			}
			return usage;
		}

	}

}
