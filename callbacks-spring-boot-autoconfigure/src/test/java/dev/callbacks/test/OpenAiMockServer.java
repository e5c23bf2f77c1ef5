package dev.callbacks.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

import okhttp3.Headers;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;

/**
 * A local HTTP server that speaks the OpenAI Chat Completions wire format, so that Spring
 * AI's real {@link OpenAiChatModel} (and the OpenAI Java SDK underneath it) can be tested
 * without the network.
 * <p>
 * Each request to {@code POST .../chat/completions} takes the next scripted {@link Reply}
 * (or, once the script is exhausted, asks the {@linkplain #respondWith(Function)
 * responder}). Like the real API, the request decides the format: {@code "stream": true}
 * gets a {@code text/event-stream} of chunks, anything else one JSON completion. So the
 * same reply works for {@code call()} and {@code stream()}.
 * <p>
 * Without Spring Boot, use {@link #chatModel()}. With Spring Boot, pass
 * {@link #springBootProperties()} to an {@code ApplicationContextRunner}, or set them
 * yourself: <pre>
 * spring.ai.model.chat=openai
 * spring.ai.openai.base-url=&lt;baseUrl()&gt;
 * spring.ai.openai.api-key=test
 * spring.ai.openai.chat.model=gpt-4o-mini
 * spring.ai.openai.max-retries=0
 * </pre> Note that {@code spring.ai.openai.chat.options.model} does not exist in Spring
 * AI 2.0 (it is silently ignored and the model falls back to {@code gpt-5-mini}), and
 * that the SDK retries 408/409/429/5xx three times by default with a 0.5 s to 8 s backoff
 * unless {@code max-retries} is 0.
 * <p>
 * Thread-safe: replies may be scripted while requests are served, and requests are served
 * concurrently.
 */
public final class OpenAiMockServer implements AutoCloseable {

	/** The model the client asks for. */
	public static final String MODEL = "gpt-4o-mini";

	/** The model the server says answered, as OpenAI reports a dated snapshot. */
	public static final String RESPONSE_MODEL = "gpt-4o-mini-2024-07-18";

	/** The API key the client sends; the server accepts any. */
	public static final String API_KEY = "test";

	/** The embedding model of {@link #embeddingSpringBootProperties()}. */
	public static final String EMBEDDING_MODEL = "text-embedding-3-small";

	private static final JsonMapper json = JsonMapper.shared();

	// OpenAI streams tool-call arguments in token-sized fragments.
	private static final int ARGUMENT_FRAGMENT_LENGTH = 4;

	private static final long CREATED = 1_720_000_000L;

	private final MockWebServer server = new MockWebServer();

	private final Queue<Reply> script = new ConcurrentLinkedQueue<>();

	private final List<CompletionRequest> requests = new CopyOnWriteArrayList<>();

	private final AtomicInteger requestCounter = new AtomicInteger();

	private volatile @Nullable Function<CompletionRequest, Reply> responder;

	private final List<EmbeddingCall> embeddingCalls = new CopyOnWriteArrayList<>();

	private final AtomicInteger embeddingFailures = new AtomicInteger();

	private volatile boolean embeddingUsageReported = true;

	private OpenAiMockServer() throws IOException {
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return OpenAiMockServer.this.dispatch(request);
			}
		});
		this.server.start(InetAddress.getByName("127.0.0.1"), 0);
	}

	/**
	 * Start a server on {@code 127.0.0.1} and a random free port.
	 */
	public static OpenAiMockServer start() {
		try {
			return new OpenAiMockServer();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The base URL to give the client, {@code http://127.0.0.1:<port>}. The OpenAI SDK
	 * appends {@code /chat/completions} to whatever base URL it gets (its default is
	 * {@code https://api.openai.com/v1}), so requests arrive at
	 * {@code /chat/completions}; the server also accepts {@code /v1/chat/completions}.
	 */
	public String baseUrl() {
		return "http://127.0.0.1:" + this.server.getPort();
	}

	/**
	 * Chat options pointing at this server: {@link #MODEL}, {@link #API_KEY}, no retries
	 * (so that errors surface at once) and a 30 s timeout (so that a broken test fails
	 * rather than hangs). Add what the test needs.
	 */
	public OpenAiChatOptions.Builder chatOptions() {
		return OpenAiChatOptions.builder()
			.baseUrl(baseUrl())
			.apiKey(API_KEY)
			.model(MODEL)
			.maxRetries(0)
			.timeout(Duration.ofSeconds(30));
	}

	/**
	 * A builder for the real {@link OpenAiChatModel} with {@link #chatOptions()}, to add
	 * an observation registry and the like.
	 */
	public OpenAiChatModel.Builder chatModelBuilder() {
		return OpenAiChatModel.builder().options(chatOptions().build());
	}

	/**
	 * The real {@link OpenAiChatModel} with {@link #chatOptions()}.
	 */
	public OpenAiChatModel chatModel() {
		return chatModelBuilder().build();
	}

	/**
	 * Spring Boot properties for {@code OpenAiChatAutoConfiguration} pointing at this
	 * server, in {@code ApplicationContextRunner.withPropertyValues} form.
	 */
	public String[] springBootProperties() {
		// spring.ai.model.chat picks OpenAI where other model starters are on the class
		// path too (as in this module's tests), each of which would add a ChatModel.
		return new String[] { "spring.ai.model.chat=openai", "spring.ai.openai.base-url=" + baseUrl(),
				"spring.ai.openai.api-key=" + API_KEY, "spring.ai.openai.chat.model=" + MODEL,
				"spring.ai.openai.max-retries=0" };
	}

	/**
	 * Script the replies to the next requests, in order, one per request.
	 */
	public OpenAiMockServer enqueue(Reply... replies) {
		this.script.addAll(Arrays.asList(replies));
		return this;
	}

	/**
	 * Answer requests that find the script empty with a function of the request, e.g. for
	 * concurrent tests where arrival order is unknown.
	 */
	public OpenAiMockServer respondWith(Function<CompletionRequest, Reply> responder) {
		this.responder = responder;
		return this;
	}

	/**
	 * The number of scripted replies not yet taken.
	 */
	public int remainingReplies() {
		return this.script.size();
	}

	/**
	 * The chat completion requests received so far, in arrival order.
	 */
	public List<CompletionRequest> requests() {
		return List.copyOf(this.requests);
	}

	/**
	 * The chat completion request received {@code index}-th, counting from 0.
	 */
	public CompletionRequest request(int index) {
		return this.requests.get(index);
	}

	public int requestCount() {
		return this.requests.size();
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

	/**
	 * Spring Boot properties for {@code OpenAiEmbeddingAutoConfiguration} pointing at
	 * this server, with {@link #EMBEDDING_MODEL}.
	 */
	public String[] embeddingSpringBootProperties() {
		return new String[] { "spring.ai.model.embedding=openai", "spring.ai.openai.base-url=" + baseUrl(),
				"spring.ai.openai.api-key=" + API_KEY, "spring.ai.openai.embedding.model=" + EMBEDDING_MODEL,
				"spring.ai.openai.max-retries=0" };
	}

	/**
	 * The {@code /embeddings} requests received so far, each with the usage this server
	 * answered it with.
	 */
	public List<EmbeddingCall> embeddingCalls() {
		return List.copyOf(this.embeddingCalls);
	}

	/**
	 * Whether {@code /embeddings} answers report their tokens ({@code true} by default);
	 * {@code false} sends {@code prompt_tokens: 0}, as servers that count nothing do.
	 */
	public OpenAiMockServer reportEmbeddingUsage(boolean reported) {
		this.embeddingUsageReported = reported;
		return this;
	}

	/** Answers the next {@code count} {@code /embeddings} requests with a 500 error. */
	public OpenAiMockServer failEmbeddings(int count) {
		this.embeddingFailures.addAndGet(count);
		return this;
	}

	// The OpenAI embeddings format. Each input's vector is its letter frequencies (26
	// dimensions): deterministic, and similar texts are near each other, so vector-store
	// searches find what a test expects. prompt_tokens: one per word and one per input,
	// on purpose unlike any tokenizer, so that a test can tell reported usage from an
	// estimate.
	private MockResponse embeddings(RecordedRequest recorded, String path) {
		JsonNode body = json.readTree(recorded.getBody().readUtf8());
		List<String> inputs = new ArrayList<>();
		JsonNode input = body.path("input");
		if (input.isArray()) {
			input.forEach(element -> inputs.add(element.asString()));
		}
		else {
			inputs.add(input.asString());
		}
		int index = this.embeddingCalls.size();
		MockResponse response = new MockResponse().setHeader("x-request-id", "req_mock_embedding_" + index)
			.setHeader("Content-Type", "application/json");
		if (this.embeddingFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
			this.embeddingCalls.add(new EmbeddingCall(index, body.path("model").asString(), inputs, 0, true));
			return response.setResponseCode(500)
				.setBody(write(new ApiError(500, "server_error", null, "The embedding server had an error").toJson()));
		}
		int promptTokens = 0;
		if (this.embeddingUsageReported) {
			for (String text : inputs) {
				promptTokens += 1 + (text.isBlank() ? 0 : text.trim().split("\\s+").length);
			}
		}
		boolean base64 = "base64".equals(body.path("encoding_format").asString(""));
		ObjectNode root = json.createObjectNode();
		root.put("object", "list");
		ArrayNode data = root.putArray("data");
		for (int i = 0; i < inputs.size(); i++) {
			ObjectNode item = data.addObject();
			item.put("object", "embedding");
			item.put("index", i);
			float[] vector = letterVector(inputs.get(i));
			if (base64) {
				java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(vector.length * 4)
					.order(java.nio.ByteOrder.LITTLE_ENDIAN);
				for (float value : vector) {
					bytes.putFloat(value);
				}
				item.put("embedding", java.util.Base64.getEncoder().encodeToString(bytes.array()));
			}
			else {
				ArrayNode values = item.putArray("embedding");
				for (float value : vector) {
					values.add(value);
				}
			}
		}
		String model = body.path("model").asString(EMBEDDING_MODEL);
		root.put("model", model);
		ObjectNode usage = root.putObject("usage");
		usage.put("prompt_tokens", promptTokens);
		usage.put("total_tokens", promptTokens);
		this.embeddingCalls.add(new EmbeddingCall(index, model, inputs, promptTokens, false));
		return response.setBody(write(root));
	}

	/** Letter frequencies of {@code text}, the vectors this server embeds texts as. */
	public static float[] letterVector(String text) {
		float[] vector = new float[26];
		for (char c : text.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
			if (c >= 'a' && c <= 'z') {
				vector[c - 'a']++;
			}
		}
		return vector;
	}

	private MockResponse dispatch(RecordedRequest recorded) {
		String path = (recorded.getPath() != null) ? recorded.getPath() : "";
		if ("POST".equals(recorded.getMethod()) && path.endsWith("/embeddings")) {
			return embeddings(recorded, path);
		}
		if (!"POST".equals(recorded.getMethod()) || !path.endsWith("/chat/completions")) {
			// Not recorded and no reply taken: a wrong base URL should not shift the
			// script.
			return render(Reply.error(404, "invalid_request_error", "unknown_url",
					"OpenAiMockServer only serves POST /chat/completions, not " + recorded.getMethod() + " " + path),
					null);
		}
		CompletionRequest request = new CompletionRequest(this.requestCounter.getAndIncrement(), path,
				recorded.getHeaders(), json.readTree(recorded.getBody().readUtf8()));
		this.requests.add(request);
		try {
			return render(nextReply(request), request);
		}
		catch (RuntimeException | Error ex) {
			// Else MockWebServer drops the connection and the client waits for its
			// timeout.
			return render(Reply.error(500, "server_error", null,
					"OpenAiMockServer failed to answer request #" + request.index() + ": " + ex), request);
		}
	}

	private Reply nextReply(CompletionRequest request) {
		Reply reply = this.script.poll();
		if (reply != null) {
			return reply;
		}
		Function<CompletionRequest, Reply> responder = this.responder;
		if (responder != null) {
			return responder.apply(request);
		}
		return Reply.error(500, "server_error", null,
				"OpenAiMockServer has no reply scripted for request #" + request.index());
	}

	private MockResponse render(Reply reply, @Nullable CompletionRequest request) {
		MockResponse response = new MockResponse();
		String requestId = "req_mock_" + ((request != null) ? request.index() : "unknown");
		response.setHeader("x-request-id", requestId);
		reply.headers().forEach(response::setHeader);
		ApiError error = reply.error();
		if (error != null) {
			return response.setResponseCode(error.status())
				.setHeader("Content-Type", "application/json")
				.setBody(write(error.toJson()));
		}
		String id = "chatcmpl-mock-" + ((request != null) ? request.index() : 0);
		if (request == null || !request.stream()) {
			return response.setHeader("Content-Type", "application/json").setBody(write(completion(reply, id)));
		}
		List<String> events = new ArrayList<>();
		for (ObjectNode chunk : chunks(reply, id, request.includeUsage())) {
			events.add("data: " + write(chunk));
		}
		events.add("data: [DONE]");
		response.setHeader("Content-Type", "text/event-stream; charset=utf-8");
		if (reply.chunkDelay().isZero()) {
			return response.setBody(String.join("\n\n", events) + "\n\n");
		}
		// MockWebServer can only throttle bytes, not events: pad every event to the same
		// size (JSON and the SDK's "[DONE]" check both ignore trailing spaces) and
		// release one event's worth of bytes per period.
		int eventSize = events.stream().mapToInt(OpenAiMockServer::utf8Length).max().orElse(0);
		StringBuilder body = new StringBuilder();
		for (String event : events) {
			body.append(event).append(" ".repeat(eventSize - utf8Length(event))).append("\n\n");
		}
		return response.setBody(body.toString())
			.throttleBody(eventSize + 2L, reply.chunkDelay().toMillis(), TimeUnit.MILLISECONDS);
	}

	private static ObjectNode completion(Reply reply, String id) {
		ObjectNode root = envelope(id, "chat.completion", reply.model());
		ObjectNode choice = root.putArray("choices").addObject();
		choice.put("index", 0);
		ObjectNode message = choice.putObject("message");
		message.put("role", "assistant");
		if (reply.toolCalls().isEmpty()) {
			message.put("content", String.join("", reply.tokens()));
		}
		else {
			message.putNull("content");
			ArrayNode toolCalls = message.putArray("tool_calls");
			for (ToolCall call : reply.toolCalls()) {
				ObjectNode toolCall = toolCalls.addObject();
				toolCall.put("id", call.id());
				toolCall.put("type", "function");
				ObjectNode function = toolCall.putObject("function");
				function.put("name", call.name());
				function.put("arguments", call.arguments());
			}
		}
		message.putNull("refusal");
		message.putArray("annotations");
		choice.putNull("logprobs");
		choice.put("finish_reason", reply.toolCalls().isEmpty() ? "stop" : "tool_calls");
		Tokens usage = reply.usage();
		if (usage != null) {
			root.set("usage", usage.toJson());
		}
		root.put("service_tier", "default");
		root.put("system_fingerprint", "fp_mock");
		return root;
	}

	private static List<ObjectNode> chunks(Reply reply, String id, boolean includeUsage) {
		List<ObjectNode> chunks = new ArrayList<>();
		if (reply.toolCalls().isEmpty()) {
			// Like OpenAI: a first chunk with the role and empty content, then one chunk
			// per token.
			chunks.add(chunk(reply, id, includeUsage, null, (delta) -> {
				delta.put("role", "assistant");
				delta.put("content", "");
				delta.putNull("refusal");
			}));
			for (String token : reply.tokens()) {
				chunks.add(chunk(reply, id, includeUsage, null, (delta) -> delta.put("content", token)));
			}
		}
		else {
			// Like OpenAI: the first delta of each call carries its id, type and name,
			// the following ones only argument fragments; all are tied together by the
			// call's index.
			for (int index = 0; index < reply.toolCalls().size(); index++) {
				ToolCall call = reply.toolCalls().get(index);
				boolean first = (index == 0);
				int callIndex = index;
				chunks.add(chunk(reply, id, includeUsage, null, (delta) -> {
					if (first) {
						delta.put("role", "assistant");
						delta.putNull("content");
					}
					ObjectNode toolCall = delta.putArray("tool_calls").addObject();
					toolCall.put("index", callIndex);
					toolCall.put("id", call.id());
					toolCall.put("type", "function");
					toolCall.putObject("function").put("name", call.name()).put("arguments", "");
				}));
				for (String fragment : fragments(call.arguments())) {
					chunks.add(chunk(reply, id, includeUsage, null, (delta) -> {
						ObjectNode toolCall = delta.putArray("tool_calls").addObject();
						toolCall.put("index", callIndex);
						toolCall.putObject("function").put("arguments", fragment);
					}));
				}
			}
		}
		chunks.add(chunk(reply, id, includeUsage, reply.toolCalls().isEmpty() ? "stop" : "tool_calls", (delta) -> {
		}));
		Tokens usage = reply.usage();
		if (usage != null && includeUsage) {
			// Like OpenAI with stream_options.include_usage: a last chunk with no choices
			// and the usage.
			ObjectNode usageChunk = envelope(id, "chat.completion.chunk", reply.model());
			usageChunk.putArray("choices");
			usageChunk.set("usage", usage.toJson());
			chunks.add(usageChunk);
		}
		return chunks;
	}

	private static ObjectNode chunk(Reply reply, String id, boolean includeUsage, @Nullable String finishReason,
			Consumer<ObjectNode> delta) {
		ObjectNode root = envelope(id, "chat.completion.chunk", reply.model());
		root.put("service_tier", "default");
		root.put("system_fingerprint", "fp_mock");
		ObjectNode choice = root.putArray("choices").addObject();
		choice.put("index", 0);
		delta.accept(choice.putObject("delta"));
		choice.putNull("logprobs");
		choice.put("finish_reason", finishReason);
		if (includeUsage) {
			root.putNull("usage");
		}
		return root;
	}

	private static ObjectNode envelope(String id, String object, String model) {
		ObjectNode root = json.createObjectNode();
		root.put("id", id);
		root.put("object", object);
		root.put("created", CREATED);
		root.put("model", model);
		return root;
	}

	private static List<String> fragments(String arguments) {
		List<String> fragments = new ArrayList<>();
		for (int start = 0; start < arguments.length(); start += ARGUMENT_FRAGMENT_LENGTH) {
			fragments.add(arguments.substring(start, Math.min(arguments.length(), start + ARGUMENT_FRAGMENT_LENGTH)));
		}
		return fragments;
	}

	private static String write(JsonNode node) {
		return json.writeValueAsString(node);
	}

	private static int utf8Length(String text) {
		return text.getBytes(StandardCharsets.UTF_8).length;
	}

	/**
	 * What the server answers to one request: text, tool calls or an HTTP error, with
	 * optional usage. Immutable; the {@code with...} methods return a copy.
	 *
	 * @param tokens the text, one element per streamed chunk
	 * @param toolCalls the tool calls; when present the reply has no text and finishes
	 * with {@code tool_calls}
	 * @param usage the usage to report, or {@code null} for a provider that reports none
	 * @param model the model the server says answered
	 * @param chunkDelay the pause between streamed chunks
	 * @param error the HTTP error to answer with instead, if any
	 * @param headers extra response headers, e.g. {@code retry-after-ms}
	 */
	public record Reply(List<String> tokens, List<ToolCall> toolCalls, @Nullable Tokens usage, String model,
			Duration chunkDelay, @Nullable ApiError error, Map<String, String> headers) {

		private static final Pattern WORD_BOUNDARY = Pattern.compile("(?=\\s)(?<=\\S)");

		public Reply {
			tokens = List.copyOf(tokens);
			toolCalls = List.copyOf(toolCalls);
			headers = Map.copyOf(headers);
		}

		/**
		 * Answer with text; streamed one word (with its leading whitespace) per chunk.
		 */
		public static Reply text(String text) {
			return tokens(WORD_BOUNDARY.split(text));
		}

		/**
		 * Answer with the concatenation of the tokens; streamed one token per chunk.
		 */
		public static Reply tokens(String... tokens) {
			return new Reply(List.of(tokens), List.of(), null, RESPONSE_MODEL, Duration.ZERO, null, Map.of());
		}

		/**
		 * Ask for one tool call.
		 */
		public static Reply toolCall(String id, String name, String arguments) {
			return toolCalls(new ToolCall(id, name, arguments));
		}

		/**
		 * Ask for tool calls, to be run in parallel by the client.
		 */
		public static Reply toolCalls(ToolCall... calls) {
			return new Reply(List.of(), List.of(calls), null, RESPONSE_MODEL, Duration.ZERO, null, Map.of());
		}

		/**
		 * Answer with an HTTP error and an OpenAI error body.
		 */
		public static Reply error(int status, String type, @Nullable String code, String message) {
			return new Reply(List.of(), List.of(), null, RESPONSE_MODEL, Duration.ZERO,
					new ApiError(status, type, code, message), Map.of());
		}

		/**
		 * Answer 429 as OpenAI does when the tokens-per-minute limit is reached.
		 */
		public static Reply rateLimited() {
			return error(429, "tokens", "rate_limit_exceeded",
					"Rate limit reached for gpt-4o-mini on tokens per min (TPM): Limit 200000, Used 200000, "
							+ "Requested 100. Please try again in 30ms.");
		}

		/**
		 * Answer 500 as OpenAI does when it fails.
		 */
		public static Reply serverError() {
			return error(500, "server_error", null,
					"The server had an error while processing your request. Sorry about that!");
		}

		public Reply withUsage(@Nullable Tokens usage) {
			return new Reply(this.tokens, this.toolCalls, usage, this.model, this.chunkDelay, this.error, this.headers);
		}

		public Reply withUsage(int promptTokens, int completionTokens) {
			return withUsage(Tokens.of(promptTokens, completionTokens));
		}

		public Reply withModel(String model) {
			return new Reply(this.tokens, this.toolCalls, this.usage, model, this.chunkDelay, this.error, this.headers);
		}

		/**
		 * Pause between streamed chunks (the first one is sent at once), so that a test
		 * can cancel mid-stream.
		 */
		public Reply withChunkDelay(Duration chunkDelay) {
			return new Reply(this.tokens, this.toolCalls, this.usage, this.model, chunkDelay, this.error, this.headers);
		}

		public Reply withHeader(String name, String value) {
			Map<String, String> headers = new LinkedHashMap<>(this.headers);
			headers.put(name, value);
			return new Reply(this.tokens, this.toolCalls, this.usage, this.model, this.chunkDelay, this.error, headers);
		}

	}

	/**
	 * A tool call the model asks for.
	 *
	 * @param id the call id, e.g. {@code call_abc123}
	 * @param name the function name
	 * @param arguments the arguments as a JSON object string
	 */
	public record ToolCall(String id, String name, String arguments) {
	}

	/**
	 * The {@code usage} object: token counts as OpenAI reports them. Note that OpenAI
	 * counts reasoning tokens in the completion tokens and cached tokens in the prompt
	 * tokens; nothing is added here.
	 *
	 * @param promptTokens {@code prompt_tokens}
	 * @param completionTokens {@code completion_tokens}
	 * @param totalTokens {@code total_tokens}
	 * @param cachedTokens {@code prompt_tokens_details.cached_tokens}, or {@code null} to
	 * omit the details
	 * @param reasoningTokens {@code completion_tokens_details.reasoning_tokens}, or
	 * {@code null} to omit the details
	 */
	public record Tokens(int promptTokens, int completionTokens, int totalTokens, @Nullable Integer cachedTokens,
			@Nullable Integer reasoningTokens) {

		public static Tokens of(int promptTokens, int completionTokens) {
			return new Tokens(promptTokens, completionTokens, promptTokens + completionTokens, null, null);
		}

		public Tokens withCachedTokens(int cachedTokens) {
			return new Tokens(this.promptTokens, this.completionTokens, this.totalTokens, cachedTokens,
					this.reasoningTokens);
		}

		public Tokens withReasoningTokens(int reasoningTokens) {
			return new Tokens(this.promptTokens, this.completionTokens, this.totalTokens, this.cachedTokens,
					reasoningTokens);
		}

		ObjectNode toJson() {
			ObjectNode usage = json.createObjectNode();
			usage.put("prompt_tokens", this.promptTokens);
			usage.put("completion_tokens", this.completionTokens);
			usage.put("total_tokens", this.totalTokens);
			if (this.cachedTokens != null) {
				usage.putObject("prompt_tokens_details").put("cached_tokens", this.cachedTokens).put("audio_tokens", 0);
			}
			if (this.reasoningTokens != null) {
				usage.putObject("completion_tokens_details")
					.put("reasoning_tokens", this.reasoningTokens)
					.put("audio_tokens", 0)
					.put("accepted_prediction_tokens", 0)
					.put("rejected_prediction_tokens", 0);
			}
			return usage;
		}

	}

	/**
	 * An HTTP error with an OpenAI error body, {@code {"error": {"message", "type",
	 * "param", "code"}}}.
	 *
	 * @param status the HTTP status
	 * @param type the error type, e.g. {@code server_error}
	 * @param code the error code, e.g. {@code rate_limit_exceeded}
	 * @param message the message
	 */
	public record ApiError(int status, String type, @Nullable String code, String message) {

		ObjectNode toJson() {
			ObjectNode root = json.createObjectNode();
			ObjectNode error = root.putObject("error");
			error.put("message", this.message);
			error.put("type", this.type);
			error.putNull("param");
			error.put("code", this.code);
			return root;
		}

	}

	/**
	 * A chat completion request as the server received it.
	 *
	 * @param index the arrival number, counting from 0
	 * @param path the request path
	 * @param headers the request headers
	 * @param body the JSON body
	 */
	public record CompletionRequest(int index, String path, Headers headers, JsonNode body) {

		public @Nullable String header(String name) {
			return this.headers.get(name);
		}

		/**
		 * The body as plain maps, lists and scalars.
		 */
		@SuppressWarnings("unchecked")
		public Map<String, Object> bodyAsMap() {
			return json.convertValue(this.body, Map.class);
		}

		public String model() {
			return this.body.path("model").asString("");
		}

		public boolean stream() {
			return this.body.path("stream").asBoolean(false);
		}

		public boolean includeUsage() {
			return this.body.path("stream_options").path("include_usage").asBoolean(false);
		}

		public List<JsonNode> messages() {
			return List.copyOf(this.body.path("messages").values());
		}

		/**
		 * The content of the last message with the given role ({@code system},
		 * {@code user}, {@code assistant}, {@code tool}), with content parts joined, or
		 * {@code null} if there is none.
		 */
		public @Nullable String lastContent(String role) {
			List<JsonNode> messages = messages();
			for (int i = messages.size() - 1; i >= 0; i--) {
				JsonNode message = messages.get(i);
				if (role.equals(message.path("role").asString(""))) {
					return content(message.path("content"));
				}
			}
			return null;
		}

		/**
		 * The names of the tools offered to the model.
		 */
		public List<String> toolNames() {
			return this.body.path("tools")
				.valueStream()
				.map((tool) -> tool.path("function").path("name").asString(""))
				.toList();
		}

		private static String content(JsonNode content) {
			if (content.isArray()) {
				StringBuilder text = new StringBuilder();
				content.valueStream().forEach((part) -> text.append(part.path("text").asString("")));
				return text.toString();
			}
			return content.asString("");
		}

	}

	/**
	 * One {@code /embeddings} request and what it was answered with.
	 *
	 * @param promptTokens the {@code usage.prompt_tokens} sent back
	 * @param failed whether it was answered with an error
	 */
	public record EmbeddingCall(int index, String model, List<String> inputs, int promptTokens, boolean failed) {
	}

}
