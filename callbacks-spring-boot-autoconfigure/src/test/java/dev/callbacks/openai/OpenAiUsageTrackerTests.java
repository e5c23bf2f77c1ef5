package dev.callbacks.openai;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.callbacks.CallbackHandler;
import dev.callbacks.ai.usage.UsageAnomalies;
import dev.callbacks.Callbacks;
import dev.callbacks.usage.ModelPrices;
import dev.callbacks.internal.Run;
import dev.callbacks.RunCancelledException;
import dev.callbacks.usage.TokenUsage;
import dev.callbacks.UsageTracker;
import dev.callbacks.event.CallbackEvent;
import dev.callbacks.event.ChainErrorEvent;
import dev.callbacks.event.ChatModelStartEvent;
import dev.callbacks.event.LlmEndEvent;
import dev.callbacks.event.LlmErrorEvent;
import dev.callbacks.test.OpenAiMockServer;
import dev.callbacks.test.OpenAiMockServer.CompletionRequest;
import dev.callbacks.test.OpenAiMockServer.Reply;
import dev.callbacks.test.OpenAiMockServer.Tokens;
import dev.callbacks.test.RecordingHandler;
import io.micrometer.context.ContextExecutorService;
import io.micrometer.context.ContextSnapshotFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.tool.annotation.Tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * {@code UsageTracker} (the Java {@code get_openai_callback}) over Spring AI's real
 * OpenAI client: every total must be exactly the sum of what the server reported.
 */
class OpenAiUsageTrackerTests {

	private static final String MODEL = OpenAiMockServer.RESPONSE_MODEL;

	private final OpenAiMockServer server = OpenAiMockServer.start();

	// No handler at all: the tracker alone must be enough for the adapter to count.
	private final ChatClient client = ChatClient.builder(this.server.chatModel())
		.defaultAdvisors(Callbacks.handlers())
		.build();

	@AfterEach
	void close() {
		this.server.close();
		assertThat(UsageTracker.current()).as("no tracker left current on the test thread").isEmpty();
		assertThat(Run.current()).as("no run left current on the test thread").isNull();
	}

	@Test
	void callIsCountedExactlyWithCost() {
		Tokens sent = Tokens.of(120, 30).withCachedTokens(64).withReasoningTokens(10);
		this.server.enqueue(Reply.text("Roses.").withUsage(sent));

		try (UsageTracker usage = UsageTracker.start()) {
			this.client.prompt("Which flower?").call().content();

			assertCounted(usage, List.of(sent));
			assertThat(usage.byModel()).containsExactly(entry(MODEL, usageOf(sent)));
			assertThat(usage.unpricedModels()).isEmpty();
			assertThat(usage.totalCost()).isPositive();
		}
	}

	@Test
	void streamIsCountedFromTheFinalUsageChunk() {
		Tokens sent = Tokens.of(80, 12).withCachedTokens(16).withReasoningTokens(4);
		this.server.enqueue(Reply.tokens("Tulips", " and", " roses.").withUsage(sent));

		try (UsageTracker usage = UsageTracker.start()) {
			this.client.prompt("Which flower?").stream().content().blockLast(Duration.ofSeconds(10));

			assertCounted(usage, List.of(sent));
		}
	}

	@Test
	void everyRoundOfAToolCallingCallIsCounted() {
		List<Tokens> sent = enqueueToolExchange();

		try (UsageTracker usage = UsageTracker.start()) {
			String answer = this.client.prompt("Weather in Paris?").tools(new WeatherTools()).call().content();

			assertThat(answer).isEqualTo("It is sunny in Paris.");
			assertCounted(usage, sent);
		}
	}

	@Test
	void everyRoundOfAToolCallingStreamIsCounted() {
		List<Tokens> sent = enqueueToolExchange();

		try (UsageTracker usage = UsageTracker.start()) {
			this.client.prompt("Weather in Paris?")
				.tools(new WeatherTools())
				.stream()
				.content()
				.blockLast(Duration.ofSeconds(10));

			assertCounted(usage, sent);
		}
	}

	private List<Tokens> enqueueToolExchange() {
		Tokens first = Tokens.of(50, 10).withCachedTokens(32);
		Tokens second = Tokens.of(70, 8).withReasoningTokens(5);
		this.server.enqueue(Reply.toolCall("call_1", "currentWeather", "{\"city\":\"Paris\"}").withUsage(first),
				Reply.text("It is sunny in Paris.").withUsage(second));
		return List.of(first, second);
	}

	@Test
	void badPartsFromTheServerAreRepairedAndTheCallGoesOn() {
		// A negative cached count is taken as 0, a reasoning count above the completion
		// is capped at it.
		this.server.enqueue(Reply.text("Roses.").withUsage(new Tokens(120, 30, 150, -4, 45)));
		long negative = UsageAnomalies.count("openai", UsageAnomalies.Kind.NEGATIVE_PART);
		long exceeding = UsageAnomalies.count("openai", UsageAnomalies.Kind.PART_EXCEEDS_WHOLE);

		try (UsageTracker usage = UsageTracker.start()) {
			assertThat(this.client.prompt("Which flower?").call().content()).isEqualTo("Roses.");

			assertThat(usage.usage()).isEqualTo(new TokenUsage(120, 30, 150, 0, 30, false));
			assertThat(UsageAnomalies.count("openai", UsageAnomalies.Kind.NEGATIVE_PART)).isGreaterThan(negative);
			assertThat(UsageAnomalies.count("openai", UsageAnomalies.Kind.PART_EXCEEDS_WHOLE)).isGreaterThan(exceeding);
		}
	}

	@Test
	void aNegativePromptCountDoesNotFailTheStreamAndTheRoundIsEstimated() {
		this.server.enqueue(Reply.tokens("Tulips", " and", " roses.").withUsage(new Tokens(-80, 12, -68, null, null)));

		try (UsageTracker usage = UsageTracker.start()) {
			this.client.prompt("Which flower?").stream().content().blockLast(Duration.ofSeconds(10));

			assertThat(usage.usage().estimated()).isTrue();
			assertThat(usage.promptTokens()).isPositive();
			assertThat(usage.successfulRequests()).isOne();
			assertThat(usage.failedRequests()).isZero();
		}
	}

	@Test
	void threeOverlappingStreamsAreAllCounted() {
		this.server.respondWith(request -> Reply.text("one two three four")
			.withUsage(usageFor(request))
			.withChunkDelay(Duration.ofMillis(40)));
		OverlapHandler overlap = new OverlapHandler();

		try (UsageTracker usage = UsageTracker.start()) {
			Flux<String> a = this.client.prompt("q1").advisors(Callbacks.handlers(overlap)).stream().content();
			Flux<String> b = this.client.prompt("q2").advisors(Callbacks.handlers(overlap)).stream().content();
			Flux<String> c = this.client.prompt("q3").advisors(Callbacks.handlers(overlap)).stream().content();
			Flux.merge(a, b, c).blockLast(Duration.ofSeconds(10));

			assertThat(overlap.maxActive.get()).as("the three streams overlapped").isEqualTo(3);
			assertCounted(usage, List.of(usageFor(1), usageFor(2), usageFor(3)));
		}
	}

	@Test
	void hundredConcurrentStreamsAreCountedExactly() {
		this.server
			.respondWith(request -> Reply.text("answer " + request.lastContent("user")).withUsage(usageFor(request)));

		try (UsageTracker usage = UsageTracker.start()) {
			Flux.range(0, 100)
				.flatMap(i -> this.client.prompt("q" + i).stream().content().then(), 100)
				.blockLast(Duration.ofSeconds(30));

			assertCounted(usage, hundredUsages());
		}
		assertThat(this.server.requests()).hasSize(100).allSatisfy(request -> assertThat(request.stream()).isTrue());
	}

	@Test
	void hundredConcurrentCallsOnAContextPropagatingExecutorAreCountedExactly() throws Exception {
		this.server
			.respondWith(request -> Reply.text("answer " + request.lastContent("user")).withUsage(usageFor(request)));
		ExecutorService executor = ContextExecutorService.wrap(Executors.newFixedThreadPool(16),
				ContextSnapshotFactory.builder().build()::captureAll);
		try (UsageTracker usage = UsageTracker.start()) {
			List<Future<String>> answers = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				String prompt = "q" + i;
				answers.add(executor.submit(() -> this.client.prompt(prompt).call().content()));
			}
			for (int i = 0; i < 100; i++) {
				assertThat(answers.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("answer q" + i);
			}

			assertCounted(usage, hundredUsages());
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void nestedTrackersInnerSeesItsPartOuterSeesAll() {
		this.server.respondWith(request -> Reply.text("ok").withUsage(usageFor(request)));

		try (UsageTracker outer = UsageTracker.start()) {
			this.client.prompt("q1").call().content();
			try (UsageTracker inner = UsageTracker.start()) {
				assertThat(UsageTracker.current()).containsSame(inner);
				this.client.prompt("q2").call().content();
				this.client.prompt("q3").stream().content().blockLast(Duration.ofSeconds(10));

				assertCounted(inner, List.of(usageFor(2), usageFor(3)));
			}
			assertThat(UsageTracker.current()).containsSame(outer);
			this.client.prompt("q4").stream().content().blockLast(Duration.ofSeconds(10));

			assertCounted(outer, List.of(usageFor(1), usageFor(2), usageFor(3), usageFor(4)));
		}
	}

	@Test
	void underAutomaticContextPropagationBlockingAndCapturedStreamsAreCounted() throws Exception {
		this.server.respondWith(request -> Reply.text("ok").withUsage(usageFor(request)));

		ReactorHooks.withAutomaticContextPropagation(true, () -> {
			try (UsageTracker usage = UsageTracker.start()) {
				// block*() captures the thread's tracker into the Reactor context by
				// itself.
				this.client.prompt("q1").stream().content().blockLast(Duration.ofSeconds(10));
				StepVerifier.create(this.client.prompt("q2").stream().content().contextCapture())
					.expectNext("ok")
					.verifyComplete();

				assertCounted(usage, List.of(usageFor(1), usageFor(2)));
			}
		});
	}

	@Test
	void underAutomaticContextPropagationAStreamSubscribedFromTheTrackersThreadIsCounted() throws Exception {
		this.server.respondWith(request -> Reply.text("ok").withUsage(usageFor(request)));

		ReactorHooks.withAutomaticContextPropagation(true, () -> {
			try (UsageTracker usage = UsageTracker.start()) {
				StepVerifier.create(this.client.prompt("q1").stream().content()).expectNext("ok").verifyComplete();

				assertCounted(usage, List.of(usageFor(1)));
			}
		});
	}

	@Test
	void cancellingAStreamWithTakeEndsEachRunOnceAsCancelled() throws InterruptedException {
		this.server.enqueue(slowReply());
		RecordingHandler handler = new RecordingHandler();

		try (UsageTracker usage = UsageTracker.start()) {
			List<String> taken = this.client.prompt("Count")
				.advisors(Callbacks.handlers(handler))
				.stream()
				.content()
				.take(2)
				.collectList()
				.block(Duration.ofSeconds(10));

			assertThat(taken).containsExactly("one", " two");
			assertCancelled(handler, usage);
		}
	}

	@Test
	void disposingAStreamFromAnotherThreadEndsEachRunOnceAsCancelled() throws InterruptedException {
		this.server.enqueue(slowReply());
		RecordingHandler handler = new RecordingHandler();
		CountDownLatch twoTokens = new CountDownLatch(2);
		List<String> received = new CopyOnWriteArrayList<>();

		try (UsageTracker usage = UsageTracker.start()) {
			Disposable subscription = this.client.prompt("Count")
				.advisors(Callbacks.handlers(handler))
				.stream()
				.content()
				.subscribe(token -> {
					received.add(token);
					twoTokens.countDown();
				});
			assertThat(twoTokens.await(10, TimeUnit.SECONDS)).isTrue();
			subscription.dispose();

			assertThat(received).startsWith("one", " two");
			assertCancelled(handler, usage);
		}
	}

	private static Reply slowReply() {
		return Reply.text("one two three four five six seven eight")
			.withUsage(Tokens.of(10, 8))
			.withChunkDelay(Duration.ofMillis(50));
	}

	private void assertCancelled(RecordingHandler handler, UsageTracker usage) throws InterruptedException {
		assertCancelledOnce(handler, usage);
		List<CallbackEvent> atCancel = handler.events();
		// Longer than the rest of the stream would take (8 more chunks of 50 ms): nothing
		// more may arrive.
		Thread.sleep(600);
		assertThat(handler.events()).as("events after the cancel").isEqualTo(atCancel);
		assertCancelledOnce(handler, usage);
		assertThat(this.server.requestCount()).isOne();
	}

	private static void assertCancelledOnce(RecordingHandler handler, UsageTracker usage) {
		assertThat(handler.shape()).containsExactly("chain_start", "llm_start", "tokens", "llm_error", "chain_error");
		RunTreeAssertions.assertWellFormed(handler);
		assertThat(handler.single(LlmErrorEvent.class).error()).isInstanceOf(RunCancelledException.class);
		assertThat(handler.single(ChainErrorEvent.class).error()).isInstanceOf(RunCancelledException.class);
		assertThat(handler.events(LlmEndEvent.class)).isEmpty();
		assertThat(usage.failedRequests()).isOne();
		assertThat(usage.successfulRequests()).isZero();
		// The usage chunk never came: the provider bills what it generated, so the round
		// counts an estimate, flagged as one: the prompt, and the tokens streamed to the
		// round before the cancel (at least the two taken, at most the eight sent).
		assertThat(usage.promptTokens()).isPositive();
		assertThat(usage.completionTokens()).isBetween(2L, 8L);
		assertThat(usage.byModel()).hasSize(1)
			.allSatisfy((model, modelUsage) -> assertThat(modelUsage.estimated()).isTrue());
	}

	// A distinct usage per prompt "q<i>", so that a request counted twice, lost or
	// counted in the wrong tracker shows in the totals.
	private static Tokens usageFor(CompletionRequest request) {
		String prompt = request.lastContent("user");
		return usageFor(Integer.parseInt(prompt.substring(1)));
	}

	private static Tokens usageFor(int i) {
		int prompt = 100 + 7 * i;
		// Reasoning (at most 2) is a part of the completion (at least 3), as OpenAI
		// counts it.
		return Tokens.of(prompt, 3 + (i % 13)).withCachedTokens((i % 4) * 16).withReasoningTokens(i % 3);
	}

	private static List<Tokens> hundredUsages() {
		List<Tokens> all = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			all.add(usageFor(i));
		}
		return all;
	}

	private static TokenUsage usageOf(Tokens tokens) {
		return new TokenUsage(tokens.promptTokens(), tokens.completionTokens(), tokens.totalTokens(),
				(tokens.cachedTokens() != null) ? tokens.cachedTokens() : 0,
				(tokens.reasoningTokens() != null) ? tokens.reasoningTokens() : 0, false);
	}

	private static void assertCounted(UsageTracker usage, List<Tokens> sent) {
		TokenUsage expected = TokenUsage.ZERO;
		BigDecimal cost = BigDecimal.ZERO;
		ModelPrices prices = ModelPrices.defaults();
		for (Tokens tokens : sent) {
			TokenUsage one = usageOf(tokens);
			expected = expected.plus(one);
			BigDecimal oneCost = prices.cost(MODEL, one);
			assertThat(oneCost).as("%s is priced", MODEL).isNotNull();
			cost = cost.add(oneCost);
		}
		assertThat(usage.usage()).isEqualTo(expected);
		assertThat(usage.promptTokens()).isEqualTo(expected.promptTokens());
		assertThat(usage.completionTokens()).isEqualTo(expected.completionTokens());
		assertThat(usage.totalTokens()).isEqualTo(expected.totalTokens());
		assertThat(usage.cachedPromptTokens()).isEqualTo(expected.cachedPromptTokens());
		assertThat(usage.reasoningTokens()).isEqualTo(expected.reasoningTokens());
		// OpenAI has no cache writes; the total is prompt + completion.
		assertThat(usage.usage().cacheWriteTokens()).isZero();
		assertThat(usage.usage().cacheWrite1hTokens()).isZero();
		assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());
		assertThat(usage.successfulRequests()).isEqualTo(sent.size());
		assertThat(usage.failedRequests()).isZero();
		assertThat(usage.byModel()).containsOnlyKeys(MODEL);
		assertThat(usage.byModel().get(MODEL)).isEqualTo(expected);
		assertThat(usage.totalCost()).isEqualByComparingTo(cost);
		assertThat(usage.unpricedModels()).isEmpty();
	}

	/** Counts LLM runs in progress, to prove that streams overlapped. */
	static class OverlapHandler implements CallbackHandler {

		final AtomicInteger active = new AtomicInteger();

		final AtomicInteger maxActive = new AtomicInteger();

		@Override
		public void onChatModelStart(ChatModelStartEvent event) {
			this.maxActive.accumulateAndGet(this.active.incrementAndGet(), Math::max);
		}

		@Override
		public void onLlmEnd(LlmEndEvent event) {
			this.active.decrementAndGet();
		}

	}

	static class WeatherTools {

		@Tool(description = "Get the current weather in a city")
		String currentWeather(String city) {
			return "Sunny, 24°C in " + city;
		}

	}

}
