package dev.callbacks.test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import okhttp3.mockwebserver.MockResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local server that speaks Ollama's {@code POST /api/chat}, so that Spring AI's real
 * Ollama client can be tested without an Ollama: one JSON object for
 * {@code "stream": false}, else newline-delimited JSON ({@code application/x-ndjson}),
 * one object per thinking or content delta, one per tool call, and a final object with
 * {@code "done": true}, {@code done_reason}, the durations and the counts
 * {@code prompt_eval_count} and {@code eval_count} (thinking included)
 * (docs.ollama.com/api/chat; ollama.com/blog/streaming-tool). Ollama reports no cache or
 * reasoning counts.
 */
public final class OllamaMockServer extends WireFormatServer<OllamaMockServer.Reply> {

	/** The model the client asks for and the server says answered. */
	public static final String MODEL = "qwen3:4b";

	private static final Pattern WORD_BOUNDARY = Pattern.compile("(?=\\s)(?<=\\S)");

	private static final String CREATED_AT = "2025-05-27T22:54:57.641643Z";

	public static OllamaMockServer start() {
		return new OllamaMockServer();
	}

	/** Properties for Spring AI's {@code OllamaChatAutoConfiguration}. */
	public String[] springBootProperties() {
		return new String[] { "spring.ai.model.chat=ollama", "spring.ai.ollama.base-url=" + baseUrl(),
				"spring.ai.ollama.chat.model=" + MODEL };
	}

	@Override
	protected boolean serves(String method, String path) {
		return "POST".equals(method) && path.equals("/api/chat");
	}

	@Override
	protected MockResponse error(int status, String message) {
		return new MockResponse().setResponseCode(status)
			.setHeader("Content-Type", "application/json; charset=utf-8")
			.setBody(write(json.createObjectNode().put("error", message)));
	}

	@Override
	protected MockResponse render(Reply reply, Call call) {
		if (!call.body().path("stream").asBoolean(true)) {
			ObjectNode done = done(reply);
			ObjectNode message = done.putObject("message").put("role", "assistant");
			message.put("content", String.join("", reply.tokens()));
			if (reply.thinking() != null) {
				message.put("thinking", reply.thinking());
			}
			toolCalls(message, reply);
			return new MockResponse().setHeader("Content-Type", "application/json; charset=utf-8")
				.setBody(write(reorder(done)));
		}
		List<ObjectNode> lines = new ArrayList<>();
		if (reply.thinking() != null) {
			for (String token : WORD_BOUNDARY.split(reply.thinking())) {
				ObjectNode line = delta(reply);
				((ObjectNode) line.get("message")).put("content", "").put("thinking", token);
				lines.add(line);
			}
		}
		for (String token : reply.tokens()) {
			ObjectNode line = delta(reply);
			((ObjectNode) line.get("message")).put("content", token);
			lines.add(line);
		}
		if (!reply.toolCalls().isEmpty()) {
			ObjectNode line = delta(reply);
			ObjectNode message = ((ObjectNode) line.get("message")).put("content", "");
			toolCalls(message, reply);
			lines.add(line);
		}
		ObjectNode done = done(reply);
		done.putObject("message").put("role", "assistant").put("content", "");
		lines.add(reorder(done));
		StringBuilder body = new StringBuilder();
		for (ObjectNode line : lines) {
			body.append(write(line)).append('\n');
		}
		return new MockResponse().setHeader("Content-Type", "application/x-ndjson").setBody(body.toString());
	}

	private static ObjectNode delta(Reply reply) {
		ObjectNode line = json.createObjectNode().put("model", reply.model()).put("created_at", CREATED_AT);
		line.putObject("message").put("role", "assistant");
		line.put("done", false);
		return line;
	}

	private static ObjectNode done(Reply reply) {
		ObjectNode done = json.createObjectNode().put("model", reply.model()).put("created_at", CREATED_AT);
		done.put("done_reason", "stop")
			.put("done", true)
			.put("total_duration", 4_883_583_458L)
			.put("load_duration", 1_334_875L)
			.put("prompt_eval_count", reply.promptEvalCount())
			.put("prompt_eval_duration", 342_546_000L)
			.put("eval_count", reply.evalCount())
			.put("eval_duration", 4_535_599_000L);
		return done;
	}

	// Ollama writes the message before done_reason and the counts.
	private static ObjectNode reorder(ObjectNode done) {
		ObjectNode ordered = json.createObjectNode();
		ordered.set("model", done.get("model"));
		ordered.set("created_at", done.get("created_at"));
		ordered.set("message", done.get("message"));
		done.properties().forEach(entry -> {
			if (!ordered.has(entry.getKey())) {
				ordered.set(entry.getKey(), entry.getValue());
			}
		});
		return ordered;
	}

	private static void toolCalls(ObjectNode message, Reply reply) {
		if (reply.toolCalls().isEmpty()) {
			return;
		}
		var calls = message.putArray("tool_calls");
		for (int i = 0; i < reply.toolCalls().size(); i++) {
			ToolCall call = reply.toolCalls().get(i);
			ObjectNode toolCall = calls.addObject().put("id", call.id());
			toolCall.putObject("function")
				.put("index", i)
				.put("name", call.name())
				.set("arguments", json.readTree(call.arguments()));
		}
	}

	/**
	 * What the server answers.
	 *
	 * @param thinking thinking before the answer, if any ({@code "think": true} models)
	 * @param tokens the text, one element per streamed line
	 * @param toolCalls tool calls
	 * @param promptEvalCount {@code prompt_eval_count}
	 * @param evalCount {@code eval_count}, thinking included
	 * @param model the model the server says answered
	 */
	public record Reply(@Nullable String thinking, List<String> tokens, List<ToolCall> toolCalls, long promptEvalCount,
			long evalCount, String model) {

		public Reply {
			tokens = List.copyOf(tokens);
			toolCalls = List.copyOf(toolCalls);
		}

		/** Text, streamed one word (with its leading whitespace) per line. */
		public static Reply text(String text) {
			return new Reply(null, List.of(WORD_BOUNDARY.split(text)), List.of(), 10, 5, MODEL);
		}

		/** One tool call. */
		public static Reply toolCall(String id, String name, String arguments) {
			return new Reply(null, List.of(), List.of(new ToolCall(id, name, arguments)), 10, 5, MODEL);
		}

		public Reply withThinking(String thinking) {
			return new Reply(thinking, this.tokens, this.toolCalls, this.promptEvalCount, this.evalCount, this.model);
		}

		public Reply withCounts(long promptEvalCount, long evalCount) {
			return new Reply(this.thinking, this.tokens, this.toolCalls, promptEvalCount, evalCount, this.model);
		}

	}

	/**
	 * A tool call the model asks for.
	 *
	 * @param id e.g. {@code call_x1}
	 * @param name the function name
	 * @param arguments the arguments as a JSON object string
	 */
	public record ToolCall(String id, String name, String arguments) {
	}

}
