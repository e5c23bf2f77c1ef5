package dev.callbacks.test;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;

import com.openai.errors.InternalServerException;
import com.openai.errors.RateLimitException;
import com.openai.models.completions.CompletionUsage;
import dev.callbacks.test.OpenAiMockServer.CompletionRequest;
import dev.callbacks.test.OpenAiMockServer.Reply;
import dev.callbacks.test.OpenAiMockServer.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.openai.autoconfigure.OpenAiChatAutoConfiguration;
import org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Proves {@link OpenAiMockServer} against the real {@link OpenAiChatModel} and OpenAI
 * SDK.
 */
class OpenAiMockServerTests {

	private final OpenAiMockServer server = OpenAiMockServer.start();

	private final OpenAiChatModel model = this.server.chatModel();

	@AfterEach
	void close() {
		this.server.close();
	}

	@Test
	void callReturnsTextAndScriptedUsage() {
		this.server.enqueue(
				Reply.text("Roses are red.").withUsage(Tokens.of(12, 5).withCachedTokens(4).withReasoningTokens(2)));

		ChatResponse response = this.model.call(new Prompt("Write a poem"));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("Roses are red.");
		assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("STOP");
		assertThat(response.getMetadata().getModel()).isEqualTo(OpenAiMockServer.RESPONSE_MODEL);
		Usage usage = response.getMetadata().getUsage();
		assertThat(usage.getPromptTokens()).isEqualTo(12);
		assertThat(usage.getCompletionTokens()).isEqualTo(5);
		assertThat(usage.getTotalTokens()).isEqualTo(17);
		assertThat(usage.getCacheReadInputTokens()).isEqualTo(4L);
		// Reasoning tokens only reach Spring AI through the SDK's native usage.
		assertThat(usage.getNativeUsage()).isInstanceOfSatisfying(CompletionUsage.class, (nativeUsage) -> assertThat(
				nativeUsage.completionTokensDetails().flatMap(CompletionUsage.CompletionTokensDetails::reasoningTokens))
			.contains(2L));

		CompletionRequest request = this.server.request(0);
		assertThat(request.path()).isEqualTo("/chat/completions");
		assertThat(request.header("Authorization")).isEqualTo("Bearer " + OpenAiMockServer.API_KEY);
		assertThat(request.model()).isEqualTo(OpenAiMockServer.MODEL);
		assertThat(request.stream()).isFalse();
		assertThat(request.lastContent("user")).isEqualTo("Write a poem");
		assertThat(request.bodyAsMap()).containsEntry("model", OpenAiMockServer.MODEL).doesNotContainKey("stream");
	}

	@Test
	void callWithoutUsageReportsEmptyUsage() {
		this.server.enqueue(Reply.text("Hello"));

		ChatResponse response = this.model.call(new Prompt("Hi"));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("Hello");
		assertThat(response.getMetadata().getUsage().getTotalTokens()).isZero();
	}

	@Test
	void streamYieldsTokensInOrderThenUsage() {
		this.server.enqueue(Reply.tokens("Roses", " are", " red").withUsage(Tokens.of(9, 3).withCachedTokens(2)));

		List<ChatResponse> chunks = this.model.stream(new Prompt("Write a poem")).collectList().block();

		assertThat(chunks).isNotNull();
		// Like OpenAI: an empty role chunk, one chunk per token, a finish chunk, then a
		// usage chunk with no choices.
		assertThat(chunks).hasSize(6);
		assertThat(chunks.subList(0, 5)).extracting(OpenAiMockServerTests::text)
			.containsExactly("", "Roses", " are", " red", "");
		assertThat(chunks.get(4).getResult().getMetadata().getFinishReason()).isEqualTo("STOP");
		ChatResponse last = chunks.get(5);
		assertThat(last.getResults()).isEmpty();
		assertThat(last.getMetadata().getUsage().getPromptTokens()).isEqualTo(9);
		assertThat(last.getMetadata().getUsage().getCompletionTokens()).isEqualTo(3);
		assertThat(last.getMetadata().getUsage().getTotalTokens()).isEqualTo(12);
		assertThat(last.getMetadata().getUsage().getCacheReadInputTokens()).isEqualTo(2L);
		// The chunks before carry no usage.
		assertThat(chunks.subList(0, 5))
			.allSatisfy((chunk) -> assertThat(chunk.getMetadata().getUsage().getTotalTokens()).isZero());

		CompletionRequest request = this.server.request(0);
		assertThat(request.stream()).isTrue();
		assertThat(request.includeUsage()).isTrue();
		assertThat(request.body().at("/stream_options/include_usage").asBoolean()).isTrue();
	}

	@Test
	void streamWithoutUsageSendsNoUsageChunk() {
		this.server.enqueue(Reply.text("Roses are red"));

		StepVerifier.create(this.model.stream(new Prompt("Write a poem")).map(OpenAiMockServerTests::text))
			.expectNext("", "Roses", " are", " red", "")
			.verifyComplete();
	}

	@Test
	void toolCallRoundTripThroughChatClient() {
		this.server.enqueue(Reply.toolCall("call_1", "currentWeather", "{\"city\":\"Paris\"}").withUsage(50, 10),
				Reply.text("It is sunny in Paris.").withUsage(70, 8));

		ChatResponse response = ChatClient.create(this.model)
			.prompt("What is the weather in Paris?")
			.tools(new WeatherTools())
			.call()
			.chatResponse();

		assertThat(response).isNotNull();
		assertThat(response.getResult().getOutput().getText()).isEqualTo("It is sunny in Paris.");
		assertThat(this.server.requestCount()).isEqualTo(2);
		assertThat(this.server.request(0).toolNames()).containsExactly("currentWeather");
		assertToolResultSent(this.server.request(1));
	}

	@Test
	void streamedToolCallRoundTripThroughChatClient() {
		this.server.enqueue(
				Reply.toolCall("call_1", "currentWeather", "{\"city\":\"Paris\"}").withUsage(Tokens.of(50, 10)),
				Reply.text("It is sunny in Paris.").withUsage(Tokens.of(70, 8)));

		String text = ChatClient.create(this.model)
			.prompt("What is the weather in Paris?")
			.tools(new WeatherTools())
			.stream()
			.content()
			.collectList()
			.map((tokens) -> String.join("", tokens))
			.block();

		assertThat(text).isEqualTo("It is sunny in Paris.");
		assertThat(this.server.requests()).hasSize(2).allSatisfy((request) -> assertThat(request.stream()).isTrue());
		assertToolResultSent(this.server.request(1));
	}

	@Test
	void streamedParallelToolCallsAreMergedByIndex() {
		this.server.enqueue(
				Reply.toolCalls(new OpenAiMockServer.ToolCall("call_1", "currentWeather", "{\"city\":\"Paris\"}"),
						new OpenAiMockServer.ToolCall("call_2", "currentWeather", "{\"city\":\"Rome\"}")),
				Reply.text("Sunny in both."));

		String text = ChatClient.create(this.model)
			.prompt("Weather in Paris and Rome?")
			.tools(new WeatherTools())
			.stream()
			.content()
			.collectList()
			.map((tokens) -> String.join("", tokens))
			.block();

		assertThat(text).isEqualTo("Sunny in both.");
		List<JsonNode> messages = this.server.request(1).messages();
		assertThat(messages.get(1).at("/tool_calls/1/function/arguments").asString(""))
			.isEqualTo("{\"city\":\"Rome\"}");
		assertThat(messages.subList(2, 4)).extracting((message) -> message.path("content").asString(""))
			.containsExactly("\"Sunny, 24°C in Paris\"", "\"Sunny, 24°C in Rome\"");
	}

	@Test
	void rateLimitSurfacesAtOnceWithoutRetries() {
		this.server.enqueue(Reply.rateLimited());
		long start = System.nanoTime();

		assertThatExceptionOfType(RateLimitException.class).isThrownBy(() -> this.model.call(new Prompt("Hi")))
			.satisfies((ex) -> {
				assertThat(ex.statusCode()).isEqualTo(429);
				assertThat(ex.code()).contains("rate_limit_exceeded");
				assertThat(ex.getMessage()).contains("Rate limit reached");
			});

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		assertThat(this.server.requestCount()).isOne();
	}

	@Test
	void serverErrorSurfacesAtOnceWithoutRetries() {
		this.server.enqueue(Reply.serverError());
		long start = System.nanoTime();

		assertThatExceptionOfType(InternalServerException.class).isThrownBy(() -> this.model.call(new Prompt("Hi")))
			.satisfies((ex) -> assertThat(ex.statusCode()).isEqualTo(500));

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		assertThat(this.server.requestCount()).isOne();
	}

	@Test
	void streamErrorSurfacesAsErrorSignal() {
		this.server.enqueue(Reply.rateLimited());

		StepVerifier.create(this.model.stream(new Prompt("Hi")))
			// The SDK's async client completes its future exceptionally, so the error
			// comes wrapped.
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(CompletionException.class)
				.cause()
				.isInstanceOf(RateLimitException.class))
			.verify(Duration.ofSeconds(5));
		assertThat(this.server.requestCount()).isOne();
	}

	@Test
	void slowStreamCanBeCancelledMidway() {
		this.server.enqueue(Reply.text("one two three four five six seven eight nine ten")
			.withUsage(10, 10)
			.withChunkDelay(Duration.ofMillis(200)));
		long start = System.nanoTime();

		// The role chunk and "one" come at once, " two" after one delay; the whole stream
		// would take over 2 s.
		StepVerifier.create(this.model.stream(new Prompt("Count")).map(OpenAiMockServerTests::text))
			.expectNext("", "one", " two")
			.thenCancel()
			.verify(Duration.ofSeconds(2));

		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(150)).isLessThan(Duration.ofMillis(1500));
	}

	@Test
	void responderAnswersConcurrentRequests() {
		this.server.respondWith((request) -> Reply.text("echo " + request.lastContent("user")).withUsage(5, 2));

		List<String> answers = Flux.range(0, 100)
			.flatMap((i) -> Mono.fromCallable(() -> text(this.model.call(new Prompt("q" + i))))
				.subscribeOn(Schedulers.boundedElastic()), 100)
			.collectList()
			.block(Duration.ofSeconds(30));

		assertThat(answers).hasSize(100)
			.containsExactlyInAnyOrderElementsOf(Flux.range(0, 100).map((i) -> "echo q" + i).toIterable());
		assertThat(this.server.requestCount()).isEqualTo(100);
	}

	@Test
	void unscriptedRequestGetsServerError() {
		assertThatExceptionOfType(InternalServerException.class).isThrownBy(() -> this.model.call(new Prompt("Hi")))
			.withMessageContaining("no reply scripted for request #0");
	}

	@Test
	void springBootPropertiesConfigureTheAutoConfiguredModel() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(OpenAiChatAutoConfiguration.class, ToolCallingAutoConfiguration.class))
			.withPropertyValues(this.server.springBootProperties())
			.run((context) -> {
				OpenAiChatModel model = context.getBean(OpenAiChatModel.class);
				this.server.enqueue(Reply.text("Hello").withUsage(3, 1), Reply.serverError());

				assertThat(text(model.call(new Prompt("Hi")))).isEqualTo("Hello");
				assertThat(this.server.request(0).model()).isEqualTo(OpenAiMockServer.MODEL);
				// max-retries=0: one request, no backoff.
				assertThatExceptionOfType(InternalServerException.class).isThrownBy(() -> model.call(new Prompt("Hi")));
				assertThat(this.server.requestCount()).isEqualTo(2);
			});
	}

	private static void assertToolResultSent(CompletionRequest second) {
		List<JsonNode> messages = second.messages();
		assertThat(messages).extracting((message) -> message.path("role").asString(""))
			.containsExactly("user", "assistant", "tool");
		JsonNode assistant = messages.get(1);
		assertThat(assistant.at("/tool_calls/0/id").asString("")).isEqualTo("call_1");
		assertThat(assistant.at("/tool_calls/0/function/name").asString("")).isEqualTo("currentWeather");
		assertThat(assistant.at("/tool_calls/0/function/arguments").asString("")).isEqualTo("{\"city\":\"Paris\"}");
		JsonNode tool = messages.get(2);
		assertThat(tool.path("tool_call_id").asString("")).isEqualTo("call_1");
		assertThat(second.lastContent("tool")).contains("Sunny, 24°C in Paris");
	}

	private static String text(ChatResponse response) {
		return (response.getResult() != null)
				? Objects.requireNonNullElse(response.getResult().getOutput().getText(), "") : "";
	}

	static class WeatherTools {

		@Tool(description = "Get the current weather in a city")
		String currentWeather(String city) {
			return "Sunny, 24°C in " + city;
		}

	}

}
