package dev.callbacks.test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.genai.Client;
import com.google.genai.types.HttpOptions;
import okhttp3.mockwebserver.MockResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local server that speaks the Gemini API's {@code generateContent} (one JSON
 * {@code GenerateContentResponse}) and {@code streamGenerateContent?alt=sse} (server-sent
 * events, one response chunk per {@code data:} line), so that Spring AI's real Google
 * GenAI client (the Google Gen AI Java SDK underneath) can be tested without the network.
 * <p>
 * {@code usageMetadata} is as Gemini sends it (ai.google.dev/api/generate-content,
 * UsageMetadata): {@code promptTokenCount} includes {@code cachedContentTokenCount};
 * {@code candidatesTokenCount} excludes {@code thoughtsTokenCount};
 * {@code totalTokenCount} is prompt + candidates + tool-use prompt + thoughts. The Gemini
 * API sends cumulative usage on every stream chunk, the last one complete; Vertex AI
 * sends only the traffic type on intermediate chunks ({@link UsageStyle}).
 * <p>
 * Spring AI has no base-url property for Google GenAI: give the context
 * {@link #client()}, and Spring AI uses it instead of building its own.
 */
public final class GeminiMockServer extends WireFormatServer<GeminiMockServer.Reply> {

	/** The model the client asks for and the server says answered. */
	public static final String MODEL = "gemini-2.5-flash";

	private static final Pattern WORD_BOUNDARY = Pattern.compile("(?=\\s)(?<=\\S)");

	private static final Pattern METHOD = Pattern.compile("/models/([^/:?]+):(generateContent|streamGenerateContent)");

	public static GeminiMockServer start() {
		return new GeminiMockServer();
	}

	/** A Gemini API client (API key mode) whose base URL is this server. */
	public Client client() {
		return Client.builder()
			.apiKey("test")
			.httpOptions(HttpOptions.builder().baseUrl(baseUrl()).timeout(30_000).build())
			.build();
	}

	/** Properties for Spring AI's {@code GoogleGenAiChatAutoConfiguration}. */
	public String[] springBootProperties() {
		return new String[] { "spring.ai.model.chat=google-genai", "spring.ai.google.genai.chat.model=" + MODEL };
	}

	/** The model a request was sent to, from its path. */
	public static String model(Call call) {
		Matcher matcher = METHOD.matcher(call.path());
		return matcher.find() ? matcher.group(1) : "";
	}

	@Override
	protected boolean serves(String method, String path) {
		return "POST".equals(method) && METHOD.matcher(path).find();
	}

	@Override
	protected MockResponse error(int status, String message) {
		ObjectNode root = json.createObjectNode();
		root.putObject("error").put("code", status).put("message", message).put("status", "INTERNAL");
		return new MockResponse().setResponseCode(status)
			.setHeader("Content-Type", "application/json; charset=UTF-8")
			.setBody(write(root));
	}

	@Override
	protected MockResponse render(Reply reply, Call call) {
		String responseId = "mock-response-" + call.index();
		Matcher matcher = METHOD.matcher(call.path());
		boolean stream = matcher.find() && "streamGenerateContent".equals(matcher.group(2));
		if (!stream) {
			ObjectNode response = response(reply, responseId);
			ArrayNode parts = parts(response);
			if (!reply.tokens().isEmpty()) {
				parts.addObject().put("text", String.join("", reply.tokens()));
			}
			functionCalls(parts, reply);
			finish(response);
			response.set("usageMetadata", reply.usage().toJson());
			return new MockResponse().setHeader("Content-Type", "application/json; charset=UTF-8")
				.setBody(write(response));
		}
		List<ObjectNode> chunks = new ArrayList<>();
		for (int i = 0; i < reply.tokens().size(); i++) {
			ObjectNode chunk = response(reply, responseId);
			parts(chunk).addObject().put("text", reply.tokens().get(i));
			chunk.set("usageMetadata", (reply.usageStyle() == UsageStyle.CUMULATIVE)
					? reply.usage().soFar(i + 1).toJson() : json.createObjectNode().put("trafficType", "ON_DEMAND"));
			chunks.add(chunk);
		}
		if (!reply.functionCalls().isEmpty()) {
			// Gemini sends a function call whole, in one chunk.
			ObjectNode chunk = response(reply, responseId);
			functionCalls(parts(chunk), reply);
			chunks.add(chunk);
		}
		if (chunks.isEmpty()) {
			chunks.add(response(reply, responseId));
		}
		// The last chunk finishes the candidate and carries the complete usage.
		ObjectNode last = chunks.get(chunks.size() - 1);
		finish(last);
		last.set("usageMetadata", reply.usage().toJson());
		StringBuilder body = new StringBuilder();
		for (ObjectNode chunk : chunks) {
			body.append("data: ").append(write(chunk)).append("\r\n\r\n");
		}
		return new MockResponse().setHeader("Content-Type", "text/event-stream").setBody(body.toString());
	}

	private static ObjectNode response(Reply reply, String responseId) {
		ObjectNode response = json.createObjectNode();
		ObjectNode candidate = response.putArray("candidates").addObject();
		candidate.putObject("content").put("role", "model").putArray("parts");
		candidate.put("index", 0);
		response.put("modelVersion", reply.model());
		response.put("responseId", responseId);
		return response;
	}

	private static ArrayNode parts(ObjectNode response) {
		return (ArrayNode) response.at("/candidates/0/content/parts");
	}

	private static void finish(ObjectNode response) {
		((ObjectNode) response.at("/candidates/0")).put("finishReason", "STOP");
	}

	private static void functionCalls(ArrayNode parts, Reply reply) {
		for (FunctionCall call : reply.functionCalls()) {
			parts.addObject()
				.putObject("functionCall")
				.put("name", call.name())
				.set("args", json.readTree(call.args()));
		}
	}

	/** How a stream reports usage before its last chunk. */
	public enum UsageStyle {

		/** The Gemini API: cumulative usage on every chunk. */
		CUMULATIVE,

		/** Vertex AI: only {@code trafficType} until the last chunk. */
		FINAL_ONLY

	}

	/**
	 * What the server answers.
	 *
	 * @param tokens the text, one element per streamed chunk
	 * @param functionCalls function calls, after the text
	 * @param usage the usage to report
	 * @param model the {@code modelVersion}
	 * @param usageStyle how intermediate stream chunks report usage
	 */
	public record Reply(List<String> tokens, List<FunctionCall> functionCalls, UsageMetadata usage, String model,
			UsageStyle usageStyle) {

		public Reply {
			tokens = List.copyOf(tokens);
			functionCalls = List.copyOf(functionCalls);
		}

		/** Text, streamed one word (with its leading whitespace) per chunk. */
		public static Reply text(String text) {
			return new Reply(List.of(WORD_BOUNDARY.split(text)), List.of(), UsageMetadata.of(10, 5), MODEL,
					UsageStyle.CUMULATIVE);
		}

		/** One function call. */
		public static Reply functionCall(String name, String args) {
			return new Reply(List.of(), List.of(new FunctionCall(name, args)), UsageMetadata.of(10, 5), MODEL,
					UsageStyle.CUMULATIVE);
		}

		public Reply withUsage(UsageMetadata usage) {
			return new Reply(this.tokens, this.functionCalls, usage, this.model, this.usageStyle);
		}

		public Reply withUsageStyle(UsageStyle usageStyle) {
			return new Reply(this.tokens, this.functionCalls, this.usage, this.model, usageStyle);
		}

	}

	/**
	 * A function call the model asks for.
	 *
	 * @param name the function name
	 * @param args the arguments as a JSON object string
	 */
	public record FunctionCall(String name, String args) {
	}

	/**
	 * {@code usageMetadata} as Gemini reports it; nothing is added up here except
	 * {@code totalTokenCount}, which is the sum Gemini defines unless set.
	 *
	 * @param promptTokenCount {@code promptTokenCount}, cached part included
	 * @param cachedContentTokenCount {@code cachedContentTokenCount}
	 * @param candidatesTokenCount {@code candidatesTokenCount}, thoughts excluded
	 * @param thoughtsTokenCount {@code thoughtsTokenCount}
	 * @param toolUsePromptTokenCount {@code toolUsePromptTokenCount}
	 * @param totalTokenCount {@code totalTokenCount}, or {@code null} for Gemini's sum
	 */
	public record UsageMetadata(int promptTokenCount, int cachedContentTokenCount, int candidatesTokenCount,
			int thoughtsTokenCount, int toolUsePromptTokenCount, @Nullable Integer totalTokenCount) {

		public static UsageMetadata of(int promptTokenCount, int candidatesTokenCount) {
			return new UsageMetadata(promptTokenCount, 0, candidatesTokenCount, 0, 0, null);
		}

		public UsageMetadata withCached(int tokens) {
			return new UsageMetadata(this.promptTokenCount, tokens, this.candidatesTokenCount, this.thoughtsTokenCount,
					this.toolUsePromptTokenCount, this.totalTokenCount);
		}

		public UsageMetadata withThoughts(int tokens) {
			return new UsageMetadata(this.promptTokenCount, this.cachedContentTokenCount, this.candidatesTokenCount,
					tokens, this.toolUsePromptTokenCount, this.totalTokenCount);
		}

		public UsageMetadata withToolUsePrompt(int tokens) {
			return new UsageMetadata(this.promptTokenCount, this.cachedContentTokenCount, this.candidatesTokenCount,
					this.thoughtsTokenCount, tokens, this.totalTokenCount);
		}

		public UsageMetadata withTotal(int tokens) {
			return new UsageMetadata(this.promptTokenCount, this.cachedContentTokenCount, this.candidatesTokenCount,
					this.thoughtsTokenCount, this.toolUsePromptTokenCount, tokens);
		}

		/** {@code totalTokenCount} as sent. */
		public int total() {
			return (this.totalTokenCount != null) ? this.totalTokenCount : this.promptTokenCount
					+ this.candidatesTokenCount + this.toolUsePromptTokenCount + this.thoughtsTokenCount;
		}

		// Cumulative usage of an intermediate chunk: the thoughts come before the text,
		// the candidates grow.
		UsageMetadata soFar(int candidates) {
			return new UsageMetadata(this.promptTokenCount, this.cachedContentTokenCount,
					Math.min(candidates, this.candidatesTokenCount), this.thoughtsTokenCount,
					this.toolUsePromptTokenCount, null);
		}

		ObjectNode toJson() {
			ObjectNode usage = json.createObjectNode()
				.put("promptTokenCount", this.promptTokenCount)
				.put("candidatesTokenCount", this.candidatesTokenCount)
				.put("totalTokenCount", total());
			if (this.cachedContentTokenCount != 0) {
				usage.put("cachedContentTokenCount", this.cachedContentTokenCount);
			}
			usage.putArray("promptTokensDetails")
				.addObject()
				.put("modality", "TEXT")
				.put("tokenCount", this.promptTokenCount);
			if (this.cachedContentTokenCount != 0) {
				usage.putArray("cacheTokensDetails")
					.addObject()
					.put("modality", "TEXT")
					.put("tokenCount", this.cachedContentTokenCount);
			}
			if (this.thoughtsTokenCount != 0) {
				usage.put("thoughtsTokenCount", this.thoughtsTokenCount);
			}
			if (this.toolUsePromptTokenCount != 0) {
				usage.put("toolUsePromptTokenCount", this.toolUsePromptTokenCount);
			}
			return usage;
		}

	}

}
