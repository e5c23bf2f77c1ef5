package dev.callbacks.openai;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.openai.errors.InternalServerException;
import com.openai.errors.RateLimitException;
import dev.callbacks.Callbacks;
import dev.callbacks.RunCancelledException;
import dev.callbacks.usage.TokenUsage;
import dev.callbacks.UsageTracker;
import dev.callbacks.event.ChainEndEvent;
import dev.callbacks.event.ChainErrorEvent;
import dev.callbacks.event.ChainStartEvent;
import dev.callbacks.event.ChatModelStartEvent;
import dev.callbacks.event.LlmEndEvent;
import dev.callbacks.event.LlmErrorEvent;
import dev.callbacks.event.LlmNewTokenEvent;
import dev.callbacks.event.ToolEndEvent;
import dev.callbacks.event.ToolStartEvent;
import dev.callbacks.test.OpenAiMockServer;
import dev.callbacks.test.OpenAiMockServer.Reply;
import dev.callbacks.test.OpenAiMockServer.Tokens;
import dev.callbacks.test.RecordingHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.tool.annotation.Tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

/**
 * The run tree, tokens and usage of real {@code ChatClient} calls and streams over Spring
 * AI's real OpenAI client (and the OpenAI SDK underneath it) talking to a local OpenAI
 * wire-format server.
 */
class OpenAiCallbacksTests {

	private static final String QUESTION = "Which flowers suit a birthday?";

	private final OpenAiMockServer server = OpenAiMockServer.start();

	private final RecordingHandler handler = new RecordingHandler();

	private final ChatClient client = ChatClient.builder(this.server.chatModel())
		.defaultAdvisors(Callbacks.handlers(this.handler))
		.build();

	@AfterEach
	void close() {
		this.server.close();
	}

	@Test
	void callIsAChainRunWithOneLlmRunAndTheServersExactUsage() {
		this.server.enqueue(Reply.text("Roses, lilies and gerberas.")
			.withUsage(Tokens.of(12, 7).withCachedTokens(4).withReasoningTokens(2)));

		String answer = this.client.prompt(QUESTION).call().content();

		assertThat(answer).isEqualTo("Roses, lilies and gerberas.");
		assertThat(this.handler.kinds()).containsExactly("chain_start", "llm_start", "llm_end", "chain_end");
		UUID chain = RunTreeAssertions.assertWellFormed(this.handler);
		ChainStartEvent chainStart = this.handler.single(ChainStartEvent.class);
		assertThat(chainStart.name()).isEqualTo("chat_client");
		assertThat(chainStart.inputs()).containsEntry("input", QUESTION);
		ChatModelStartEvent llmStart = this.handler.single(ChatModelStartEvent.class);
		assertThat(llmStart.parentRunId()).isEqualTo(chain);
		assertThat(llmStart.streaming()).isFalse();
		assertThat(llmStart.model()).isEqualTo(OpenAiMockServer.MODEL);
		assertThat(llmStart.messages()).extracting(message -> message.getText()).containsExactly(QUESTION);
		TokenUsage sent = new TokenUsage(12, 7, 19, 4, 2, false);
		LlmEndEvent llmEnd = this.handler.single(LlmEndEvent.class);
		assertThat(llmEnd.runId()).isEqualTo(llmStart.runId());
		assertThat(llmEnd.usage()).isEqualTo(sent);
		assertOpenAiDefinition(llmEnd.usage());
		assertThat(llmEnd.model()).isEqualTo(OpenAiMockServer.RESPONSE_MODEL);
		assertThat(llmEnd.response().getResult().getOutput().getText()).isEqualTo(answer);
		ChainEndEvent chainEnd = this.handler.single(ChainEndEvent.class);
		assertThat(chainEnd.outputs()).containsEntry("output", answer);
		assertThat(chainEnd.usage()).isEqualTo(sent);
		assertThat(this.server.requestCount()).isOne();
	}

	@Test
	void streamDeliversEveryTokenInIndexOrderAndUsageFromTheFinalUsageOnlyChunk() {
		this.server.enqueue(Reply.tokens("Roses", ",", " lilies", " and", " gerberas", ".")
			.withUsage(Tokens.of(14, 6).withCachedTokens(8).withReasoningTokens(3)));

		StepVerifier.create(this.client.prompt(QUESTION).stream().content())
			.expectNext("Roses", ",", " lilies", " and", " gerberas", ".")
			.verifyComplete();

		assertThat(this.handler.shape()).containsExactly("chain_start", "llm_start", "tokens", "llm_end", "chain_end");
		RunTreeAssertions.assertWellFormed(this.handler);
		assertThat(this.server.request(0).stream()).isTrue();
		assertThat(this.server.request(0).includeUsage()).isTrue();
		ChatModelStartEvent llmStart = this.handler.single(ChatModelStartEvent.class);
		assertThat(llmStart.streaming()).isTrue();
		List<LlmNewTokenEvent> tokens = this.handler.events(LlmNewTokenEvent.class);
		// The role chunk (empty content), the finish chunk and the usage-only chunk are
		// not tokens.
		assertThat(tokens).extracting(LlmNewTokenEvent::index).containsExactly(0, 1, 2, 3, 4, 5);
		assertThat(tokens).allSatisfy(token -> assertThat(token.runId()).isEqualTo(llmStart.runId()));
		assertThat(this.handler.tokens()).isEqualTo("Roses, lilies and gerberas.");
		TokenUsage sent = new TokenUsage(14, 6, 20, 8, 3, false);
		LlmEndEvent llmEnd = this.handler.single(LlmEndEvent.class);
		assertThat(llmEnd.usage()).isEqualTo(sent);
		assertOpenAiDefinition(llmEnd.usage());
		assertThat(llmEnd.model()).isEqualTo(OpenAiMockServer.RESPONSE_MODEL);
		ChatResponse aggregated = llmEnd.response();
		assertThat(aggregated.getResult().getOutput().getText()).isEqualTo("Roses, lilies and gerberas.");
		assertThat(aggregated.getMetadata().getModel()).isEqualTo(OpenAiMockServer.RESPONSE_MODEL);
		assertThat(aggregated.getMetadata().getUsage().getTotalTokens()).isEqualTo(20);
		assertThat(aggregated.getMetadata().getUsage().getCacheReadInputTokens()).isEqualTo(8L);
		ChainEndEvent chainEnd = this.handler.single(ChainEndEvent.class);
		assertThat(chainEnd.outputs()).containsEntry("output", "Roses, lilies and gerberas.");
		assertThat(chainEnd.usage()).isEqualTo(sent);
	}

	@Test
	void streamWhoseProviderSendsNoUsageIsEstimatedWithATokenizer() {
		// No usage in the reply: the server sends no usage-only chunk, as a provider that
		// ignores include_usage.
		this.server.enqueue(Reply.text("Pink roses are lovely."));

		String answer = String.join("",
				this.client.prompt("Which flowers does my sister like?")
					.stream()
					.content()
					.collectList()
					.block(Duration.ofSeconds(10)));

		assertThat(answer).isEqualTo("Pink roses are lovely.");
		RunTreeAssertions.assertWellFormed(this.handler);
		TokenUsage usage = this.handler.single(LlmEndEvent.class).usage();
		assertThat(usage.estimated()).isTrue();
		assertThat(usage.promptTokens()).isPositive();
		assertThat(usage.completionTokens()).isPositive();
		assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());
		assertThat(this.handler.single(ChainEndEvent.class).usage()).isEqualTo(usage);
	}

	@Test
	void callWhoseProviderSendsNoUsageIsEstimatedWithATokenizer() {
		this.server.enqueue(Reply.text("Pink roses are lovely."));

		this.client.prompt("Which flowers does my sister like?").call().content();

		RunTreeAssertions.assertWellFormed(this.handler);
		TokenUsage usage = this.handler.single(LlmEndEvent.class).usage();
		assertThat(usage.estimated()).isTrue();
		assertThat(usage.promptTokens()).isPositive();
		assertThat(usage.completionTokens()).isPositive();
		assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());
		assertThat(this.handler.single(ChainEndEvent.class).usage()).isEqualTo(usage);
	}

	@Test
	void twoRoundToolCallIsTwoLlmRunsAndOneToolRunUnderTheChain() {
		enqueueToolExchange();

		String answer = this.client.prompt("What is the weather in Paris?").tools(new WeatherTools()).call().content();

		assertThat(answer).isEqualTo("It is sunny in Paris.");
		assertThat(this.handler.kinds()).containsExactly("chain_start", "llm_start", "llm_end", "tool_start",
				"tool_end", "llm_start", "llm_end", "chain_end");
		assertToolExchange(false);
	}

	@Test
	void streamedTwoRoundToolCallIsTheSameTree() {
		enqueueToolExchange();

		StepVerifier
			.create(this.client.prompt("What is the weather in Paris?").tools(new WeatherTools()).stream().content())
			.expectNext("It", " is", " sunny", " in", " Paris.")
			.verifyComplete();

		// The first round streams tool-call fragments only: no tokens.
		assertThat(this.handler.shape()).containsExactly("chain_start", "llm_start", "llm_end", "tool_start",
				"tool_end", "llm_start", "tokens", "llm_end", "chain_end");
		assertToolExchange(true);
		assertThat(this.handler.tokens()).isEqualTo("It is sunny in Paris.");
	}

	private void enqueueToolExchange() {
		this.server.enqueue(
				Reply.toolCall("call_1", "currentWeather", "{\"city\":\"Paris\"}")
					.withUsage(Tokens.of(50, 10).withCachedTokens(32)),
				Reply.text("It is sunny in Paris.").withUsage(Tokens.of(70, 8).withReasoningTokens(5)));
	}

	private void assertToolExchange(boolean streaming) {
		UUID chain = RunTreeAssertions.assertWellFormed(this.handler);
		List<ChatModelStartEvent> llmStarts = this.handler.events(ChatModelStartEvent.class);
		assertThat(llmStarts).hasSize(2).allSatisfy(start -> {
			assertThat(start.parentRunId()).isEqualTo(chain);
			assertThat(start.streaming()).isEqualTo(streaming);
		});
		assertThat(llmStarts.get(0).runId()).isNotEqualTo(llmStarts.get(1).runId());
		// The second round was sent the tool's answer.
		assertThat(llmStarts.get(1).messages()).hasSize(3);
		List<LlmEndEvent> llmEnds = this.handler.events(LlmEndEvent.class);
		assertThat(llmEnds).extracting(LlmEndEvent::runId)
			.containsExactly(llmStarts.get(0).runId(), llmStarts.get(1).runId());
		assertThat(llmEnds).extracting(LlmEndEvent::usage)
			.containsExactly(new TokenUsage(50, 10, 60, 32, 0, false), new TokenUsage(70, 8, 78, 0, 5, false));
		assertThat(llmEnds).extracting(LlmEndEvent::model).containsOnly(OpenAiMockServer.RESPONSE_MODEL);
		assertThat(llmEnds.get(0).response().getResult().getOutput().getToolCalls()).singleElement().satisfies(call -> {
			assertThat(call.name()).isEqualTo("currentWeather");
			assertThat(call.arguments()).isEqualTo("{\"city\":\"Paris\"}");
		});
		ToolStartEvent toolStart = this.handler.single(ToolStartEvent.class);
		assertThat(toolStart.parentRunId()).isEqualTo(chain);
		assertThat(toolStart.toolName()).isEqualTo("currentWeather");
		assertThat(toolStart.input()).isEqualTo("{\"city\":\"Paris\"}");
		ToolEndEvent toolEnd = this.handler.single(ToolEndEvent.class);
		assertThat(toolEnd.runId()).isEqualTo(toolStart.runId());
		assertThat(toolEnd.output()).contains("Sunny, 24°C in Paris");
		assertThat(this.handler.single(ChainEndEvent.class).usage())
			.isEqualTo(new TokenUsage(120, 18, 138, 32, 5, false));
		assertThat(this.server.requestCount()).isEqualTo(2);
		assertThat(this.server.request(1).lastContent("tool")).contains("Sunny, 24°C in Paris");
	}

	@Test
	void rateLimitedCallEndsTheLlmRunAndTheChainWithOneErrorEach() {
		this.server.enqueue(Reply.rateLimited());

		assertThatExceptionOfType(RateLimitException.class).isThrownBy(() -> this.client.prompt("Hi").call().content());

		assertCallFailed(RateLimitException.class);
	}

	@Test
	void serverErrorOnCallEndsTheLlmRunAndTheChainWithOneErrorEach() {
		this.server.enqueue(Reply.serverError());

		assertThatExceptionOfType(InternalServerException.class)
			.isThrownBy(() -> this.client.prompt("Hi").call().content());

		assertCallFailed(InternalServerException.class);
	}

	@Test
	void rateLimitedStreamEndsTheLlmRunAndTheChainWithOneErrorEach() {
		this.server.enqueue(Reply.rateLimited());

		StepVerifier.create(this.client.prompt("Hi").stream().content())
			.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(CompletionException.class)
				.cause()
				.isInstanceOf(RateLimitException.class))
			.verify(Duration.ofSeconds(10));

		assertCallFailed(RateLimitException.class);
	}

	@Test
	void serverErrorOnStreamEndsTheLlmRunAndTheChainWithOneErrorEach() {
		this.server.enqueue(Reply.serverError());

		StepVerifier.create(this.client.prompt("Hi").stream().content())
			.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(CompletionException.class)
				.cause()
				.isInstanceOf(InternalServerException.class))
			.verify(Duration.ofSeconds(10));

		assertCallFailed(InternalServerException.class);
	}

	private void assertCallFailed(Class<? extends Throwable> sdkError) {
		assertThat(this.handler.kinds()).containsExactly("chain_start", "llm_start", "llm_error", "chain_error");
		RunTreeAssertions.assertWellFormed(this.handler);
		Throwable llmError = this.handler.single(LlmErrorEvent.class).error();
		Throwable chainError = this.handler.single(ChainErrorEvent.class).error();
		assertThat(rootCause(llmError)).isInstanceOf(sdkError);
		// The chain fails with what the caller sees, the same error the LLM run failed
		// with.
		assertThat(chainError).isSameAs(llmError);
		assertThat(this.server.requestCount()).isOne();
	}

	@Test
	void serverErrorInTheSecondToolRoundKeepsTheFirstRoundsUsage() {
		this.server.enqueue(Reply.toolCall("call_1", "currentWeather", "{\"city\":\"Paris\"}")
			.withUsage(Tokens.of(50, 10).withCachedTokens(16)), Reply.serverError());

		try (UsageTracker usage = UsageTracker.start()) {
			assertThatExceptionOfType(InternalServerException.class)
				.isThrownBy(() -> this.client.prompt("What is the weather in Paris?")
					.tools(new WeatherTools())
					.call()
					.content());

			assertThat(usage.usage()).isEqualTo(new TokenUsage(50, 10, 60, 16, 0, false));
			assertThat(usage.successfulRequests()).isOne();
			assertThat(usage.failedRequests()).isOne();
			// The failed round counts under the model that answered the first round (not
			// the alias asked for), and adds no empty entry of its own.
			assertThat(usage.byModel())
				.containsOnly(entry(OpenAiMockServer.RESPONSE_MODEL, new TokenUsage(50, 10, 60, 16, 0, false)));
		}
		assertThat(this.handler.kinds()).containsExactly("chain_start", "llm_start", "llm_end", "tool_start",
				"tool_end", "llm_start", "llm_error", "chain_error");
		RunTreeAssertions.assertWellFormed(this.handler);
		assertThat(rootCause(this.handler.single(LlmErrorEvent.class).error()))
			.isInstanceOf(InternalServerException.class);
		assertThat(this.server.requestCount()).isEqualTo(2);
	}

	@Test
	void serverErrorInTheSecondStreamedToolRoundKeepsTheFirstRoundsUsage() {
		this.server.enqueue(Reply.toolCall("call_1", "currentWeather", "{\"city\":\"Paris\"}")
			.withUsage(Tokens.of(50, 10).withCachedTokens(16)), Reply.serverError());

		try (UsageTracker usage = UsageTracker.start()) {
			StepVerifier.create(
					this.client.prompt("What is the weather in Paris?").tools(new WeatherTools()).stream().content())
				.expectErrorSatisfies(ex -> assertThat(rootCause(ex)).isInstanceOf(InternalServerException.class))
				.verify(Duration.ofSeconds(10));

			assertThat(usage.usage()).isEqualTo(new TokenUsage(50, 10, 60, 16, 0, false));
			assertThat(usage.successfulRequests()).isOne();
			assertThat(usage.failedRequests()).isOne();
		}
		assertThat(this.handler.kinds()).containsExactly("chain_start", "llm_start", "llm_end", "tool_start",
				"tool_end", "llm_start", "llm_error", "chain_error");
		RunTreeAssertions.assertWellFormed(this.handler);
	}

	@Test
	void cancellingAStreamWhileAnInterruptibleToolRunsEndsTheToolRunBeforeTheChain() throws InterruptedException {
		cancelWhileAToolRuns(true);

		assertCancelledWhileAToolRan();
	}

	@Test
	void cancellingAStreamWhileAnUninterruptibleToolRunsDeliversNothingAfterTheChainError()
			throws InterruptedException {
		cancelWhileAToolRuns(false);

		assertCancelledWhileAToolRan();
	}

	// The client goes away (dispose) while the tool of the first round is running; then
	// the tool returns.
	private void cancelWhileAToolRuns(boolean interruptible) throws InterruptedException {
		this.server.enqueue(
				Reply.toolCall("call_1", "currentWeather", "{\"city\":\"Paris\"}").withUsage(Tokens.of(50, 10)),
				Reply.text("It is sunny in Paris.").withUsage(Tokens.of(70, 8)));
		SlowWeatherTools tools = new SlowWeatherTools(interruptible);
		Disposable subscription = this.client.prompt("What is the weather in Paris?")
			.tools(tools)
			.stream()
			.content()
			.subscribe(token -> {
			}, error -> {
			});
		assertThat(tools.started.await(10, TimeUnit.SECONDS)).isTrue();
		subscription.dispose();
		tools.release.countDown();
		// Time for the tool to return and for anything it would set off to happen.
		Thread.sleep(500);
	}

	private void assertCancelledWhileAToolRan() {
		List<String> kinds = this.handler.kinds();
		assertThat(kinds).as("events after the chain's error: %s", kinds).endsWith("chain_error");
		assertThat(this.handler.single(ChainErrorEvent.class).error()).isInstanceOf(RunCancelledException.class);
		RunTreeAssertions.assertWellFormed(this.handler);
		// The tool run ended (as cancelled, or with its result) before its parent did.
		List<String> beforeChainError = kinds.subList(0, kinds.indexOf("chain_error"));
		assertThat(beforeChainError.stream().filter(kind -> kind.startsWith("tool_")).toList())
			.as("tool events before the chain's error: %s", kinds)
			.hasSize(2);
	}

	static Throwable rootCause(Throwable error) {
		Throwable cause = error;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause;
	}

	static class SlowWeatherTools {

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		private final boolean interruptible;

		SlowWeatherTools(boolean interruptible) {
			this.interruptible = interruptible;
		}

		@Tool(description = "Get the current weather in a city")
		String currentWeather(String city) throws InterruptedException {
			this.started.countDown();
			if (this.interruptible) {
				this.release.await(10, TimeUnit.SECONDS);
			}
			else {
				// A tool that does not stop when interrupted, like much blocking I/O.
				while (this.release.getCount() > 0) {
					try {
						this.release.await(10, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						// carries on
					}
				}
			}
			return "Sunny, 24°C in " + city;
		}

	}

	static class WeatherTools {

		@Tool(description = "Get the current weather in a city")
		String currentWeather(String city) {
			return "Sunny, 24°C in " + city;
		}

	}

	// OpenAI reports prompt tokens with the cached part in them and has no cache writes;
	// the total is prompt + completion.
	private static void assertOpenAiDefinition(TokenUsage usage) {
		assertThat(usage.cacheWriteTokens()).isZero();
		assertThat(usage.cacheWrite1hTokens()).isZero();
		assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());
		assertThat(usage.cachedPromptTokens()).isLessThanOrEqualTo(usage.promptTokens());
		assertThat(usage.reasoningTokens()).isLessThanOrEqualTo(usage.completionTokens());
	}

}
