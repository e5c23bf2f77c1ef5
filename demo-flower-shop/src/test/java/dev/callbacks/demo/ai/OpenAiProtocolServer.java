package dev.callbacks.demo.ai;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local server that answers the OpenAI Chat Completions wire format with one fixed
 * answer, so that the demo can be tested with Spring AI's real OpenAI client and no
 * network. Like OpenAI, a request with {@code "stream": true} gets server-sent events (a
 * role chunk, one chunk per word, a chunk with the finish reason, then, when
 * {@code stream_options.include_usage} is asked for, a usage-only chunk with
 * {@code "choices": []}, and {@code data: [DONE]}); any other request gets one JSON
 * completion with its usage.
 */
final class OpenAiProtocolServer implements AutoCloseable {

	/** The model the server says answered: a dated snapshot, as OpenAI reports it. */
	static final String RESPONSE_MODEL = "gpt-4o-mini-2024-07-18";

	static final String ANSWER = "Roses, tulips and sunflowers make a cheerful birthday bouquet.";

	static final int PROMPT_TOKENS = 42;

	static final int COMPLETION_TOKENS = 11;

	private static final JsonMapper json = JsonMapper.shared();

	private final MockWebServer server = new MockWebServer();

	private final List<RecordedCompletion> requests = new CopyOnWriteArrayList<>();

	private OpenAiProtocolServer() throws IOException {
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return answer(request);
			}
		});
		this.server.start(InetAddress.getByName("127.0.0.1"), 0);
	}

	static OpenAiProtocolServer start() {
		try {
			return new OpenAiProtocolServer();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The base URL for {@code spring.ai.openai.base-url}; the SDK appends
	 * {@code /chat/completions}.
	 */
	String baseUrl() {
		return "http://127.0.0.1:" + this.server.getPort() + "/v1";
	}

	/** The chat completion requests received so far. */
	List<RecordedCompletion> requests() {
		return List.copyOf(this.requests);
	}

	@Override
	public void close() {
		try {
			this.server.shutdown();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private MockResponse answer(RecordedRequest request) {
		String path = (request.getPath() != null) ? request.getPath() : "";
		if (!"POST".equals(request.getMethod()) || !path.equals("/v1/chat/completions")) {
			return new MockResponse().setResponseCode(404)
				.setHeader("Content-Type", "application/json")
				.setBody("{\"error\":{\"message\":\"Unknown URL " + path + "\",\"type\":\"invalid_request_error\"}}");
		}
		JsonNode body = json.readTree(request.getBody().readUtf8());
		this.requests.add(new RecordedCompletion(body, request.getHeader("Authorization")));
		if (!body.path("stream").asBoolean(false)) {
			ObjectNode completion = envelope("chat.completion");
			ObjectNode choice = completion.putArray("choices").addObject();
			choice.put("index", 0);
			choice.putObject("message").put("role", "assistant").put("content", ANSWER);
			choice.put("finish_reason", "stop");
			completion.set("usage", usage());
			return new MockResponse().setHeader("Content-Type", "application/json")
				.setBody(json.writeValueAsString(completion));
		}
		List<ObjectNode> chunks = new ArrayList<>();
		chunks.add(chunk((delta) -> delta.put("role", "assistant").put("content", ""), null));
		for (String word : words()) {
			chunks.add(chunk((delta) -> delta.put("content", word), null));
		}
		chunks.add(chunk((delta) -> {
		}, "stop"));
		StringBuilder events = new StringBuilder();
		for (ObjectNode chunk : chunks) {
			events.append("data: ").append(json.writeValueAsString(chunk)).append("\n\n");
		}
		if (body.path("stream_options").path("include_usage").asBoolean(false)) {
			ObjectNode usageChunk = envelope("chat.completion.chunk");
			usageChunk.putArray("choices");
			usageChunk.set("usage", usage());
			events.append("data: ").append(json.writeValueAsString(usageChunk)).append("\n\n");
		}
		events.append("data: [DONE]\n\n");
		return new MockResponse().setHeader("Content-Type", "text/event-stream").setBody(events.toString());
	}

	/** The words of the answer, each with the space before it: how it is streamed. */
	static List<String> words() {
		return List.of(ANSWER.split("(?=\\s)"));
	}

	private static ObjectNode chunk(Consumer<ObjectNode> delta, @Nullable String finishReason) {
		ObjectNode root = envelope("chat.completion.chunk");
		ObjectNode choice = root.putArray("choices").addObject();
		choice.put("index", 0);
		delta.accept(choice.putObject("delta"));
		choice.put("finish_reason", finishReason);
		return root;
	}

	private static ObjectNode envelope(String object) {
		ObjectNode root = json.createObjectNode();
		root.put("id", "chatcmpl-demo");
		root.put("object", object);
		root.put("created", 1_720_000_000L);
		root.put("model", RESPONSE_MODEL);
		return root;
	}

	private static ObjectNode usage() {
		return json.createObjectNode()
			.put("prompt_tokens", PROMPT_TOKENS)
			.put("completion_tokens", COMPLETION_TOKENS)
			.put("total_tokens", PROMPT_TOKENS + COMPLETION_TOKENS);
	}

	/**
	 * A request as the server received it.
	 *
	 * @param body the JSON body
	 * @param authorization the {@code Authorization} header
	 */
	record RecordedCompletion(JsonNode body, @Nullable String authorization) {

		String model() {
			return this.body.path("model").asString("");
		}

		boolean stream() {
			return this.body.path("stream").asBoolean(false);
		}

		boolean includeUsage() {
			return this.body.path("stream_options").path("include_usage").asBoolean(false);
		}

		List<String> toolNames() {
			return this.body.path("tools")
				.valueStream()
				.map((tool) -> tool.path("function").path("name").asString(""))
				.toList();
		}

		String systemPrompt() {
			return this.body.path("messages")
				.valueStream()
				.filter((message) -> message.path("role").asString("").equals("system"))
				.map((message) -> message.path("content").asString(""))
				.findFirst()
				.orElse("");
		}

	}

}
