package dev.callbacks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.callbacks.ai.CallbackAdvisors;
import dev.callbacks.event.CallbackEvent;
import dev.callbacks.event.ChainErrorEvent;
import dev.callbacks.event.ChatModelStartEvent;
import dev.callbacks.event.LlmEndEvent;
import dev.callbacks.event.LlmErrorEvent;
import dev.callbacks.event.LlmNewTokenEvent;
import dev.callbacks.metrics.LlmMeters;
import dev.callbacks.metrics.MicrometerCallbackObserver;
import dev.callbacks.test.RecordingHandler;
import dev.callbacks.test.ScriptedChatModel;
import dev.callbacks.test.ScriptedChatModel.Reply;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.ai.chat.client.ChatClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Async handlers: awaited without blocking, in order per handler and run, cancel-safe,
 * bounded by a timeout.
 */
class AsyncHandlerTests {

	private static final Duration HALF_SECOND = Duration.ofMillis(500);

	final ScriptedChatModel model = new ScriptedChatModel();

	final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	/**
	 * The client under test: the handlers at the client level, rounds seen by the LLM
	 * advisor.
	 */
	ChatClient client(Duration asyncTimeout, BaseCallbackHandler... handlers) {
		CallbackManager manager = CallbackManager.builder()
			.asyncTimeout(asyncTimeout)
			.observers(List.of(new MicrometerCallbackObserver(this.registry)))
			.build();
		return ChatClient.builder(this.model)
			.defaultAdvisors(CallbackAdvisors.of(manager))
			.defaultAdvisors(Callbacks.handlers(handlers))
			.build();
	}

	/**
	 * The lesson's flower shop: a sync token printer and an async handler that waits 0.5
	 * s on start and end.
	 */
	@Test
	void hundredConcurrentStreamsWaitForAsyncHandlersConcurrentlyNotOneAfterAnother() {
		this.model.respondWith(prompt -> Reply.tokens("Roses", ", ", "lilies", ".").usage(10, 4));
		AtomicInteger tokens = new AtomicInteger();
		FlowerShopAsyncHandler slow = new FlowerShopAsyncHandler(HALF_SECOND);
		CallbackHandler printer = new CallbackHandler() {
			@Override
			public void onLlmNewToken(LlmNewTokenEvent event) {
				tokens.incrementAndGet();
			}
		};
		ChatClient client = client(Duration.ofSeconds(10), printer, slow);

		long single = timed(() -> client.prompt("Which flowers suit a birthday?").stream().content().blockLast());
		long hundred = timed(() -> Flux.range(0, 100)
			.flatMap(i -> client.prompt("Which flowers suit a birthday? #" + i).stream().content(), 100)
			.blockLast());

		assertThat(single).isGreaterThanOrEqualTo(1000);
		// 100 one after another would take 100 s; concurrently about one request's time
		assertThat(hundred).isLessThan(single * 5);
		assertThat(tokens).hasValue(4 * 101);
		assertThat(slow.started).hasValue(101);
		assertThat(slow.ended).hasValue(101);
	}

	@Test
	void asyncStartCompletesBeforeTheModelIsCalledAndEndBeforeTheCallerSeesTheResult() {
		FlowerShopAsyncHandler slow = new FlowerShopAsyncHandler(Duration.ofMillis(100));
		AtomicBoolean startDoneWhenModelCalled = new AtomicBoolean();
		this.model.respondWith(prompt -> {
			startDoneWhenModelCalled.set(slow.started.get() == slow.startedDone.get() && slow.started.get() > 0);
			return Reply.tokens("ok").usage(1, 1);
		});
		ChatClient client = client(Duration.ofSeconds(10), slow);

		client.prompt("call").call().content();
		assertThat(startDoneWhenModelCalled).isTrue();
		assertThat(slow.endedDone).hasValue(1);

		startDoneWhenModelCalled.set(false);
		client.prompt("stream").stream().content().blockLast();
		assertThat(startDoneWhenModelCalled).isTrue();
		assertThat(slow.endedDone).hasValue(2);
	}

	@Test
	void eventsStayInOrderPerHandlerAndRunUnderRandomAsyncDelays() {
		this.model.respondWith(prompt -> Reply.tokens("a", "b", "c", "d", "e", "f", "g", "h").usage(5, 8))
			.tokenDelay(Duration.ofMillis(1));
		RandomDelayRecorder fast = new RandomDelayRecorder(3);
		RandomDelayRecorder slow = new RandomDelayRecorder(15);
		RecordingHandler sync = new RecordingHandler();
		ChatClient client = client(Duration.ofSeconds(10), fast, slow, sync);

		Flux.range(0, 20).flatMap(i -> client.prompt("q" + i).stream().content(), 20).blockLast();

		for (RandomDelayRecorder recorder : List.of(fast, slow)) {
			assertThat(recorder.byRun).hasSize(40);
			recorder.byRun.forEach((run, events) -> {
				if (events.get(0).equals("llm_start")) {
					assertThat(events).containsExactly("llm_start", "token:0", "token:1", "token:2", "token:3",
							"token:4", "token:5", "token:6", "token:7", "llm_end");
				}
				else {
					assertThat(events).containsExactly("chain_start", "chain_end");
				}
			});
		}
		assertThat(sync.events(LlmEndEvent.class)).hasSize(20);
	}

	@Test
	void cancellingMidStreamEndsEachRunOnceAsCancelledAndKeepsCounting() {
		this.model.then(Reply.tokens("one", "two", "three", "four", "five").usage(5, 5))
			.tokenDelay(Duration.ofMillis(50));
		RecordingHandler handler = new RecordingHandler();
		FlowerShopAsyncHandler async = new FlowerShopAsyncHandler(Duration.ofMillis(10));
		ChatClient client = client(Duration.ofSeconds(10), handler, async);

		try (UsageTracker usage = UsageTracker.start()) {
			StepVerifier.create(client.prompt("count").stream().content().take(2))
				.expectNext("one", "two")
				.verifyComplete();

			assertThat(handler.shape()).containsExactly("chain_start", "llm_start", "tokens", "llm_error",
					"chain_error");
			assertThat(handler.single(LlmErrorEvent.class).error()).isInstanceOf(RunCancelledException.class);
			assertThat(handler.single(ChainErrorEvent.class).error()).isInstanceOf(RunCancelledException.class);
			assertThat(usage.failedRequests()).isEqualTo(1);
		}
		// nothing arrives after the cancel
		int seen = handler.events().size();
		Mono.delay(Duration.ofMillis(300)).block();
		assertThat(handler.events()).hasSize(seen);
	}

	@Test
	void aHungAsyncHandlerTimesOutCountsAsAHandlerErrorAndTheChatCompletes() {
		this.model.respondWith(prompt -> Reply.tokens("still", " here").usage(2, 2));
		AsyncCallbackHandler hung = new AsyncCallbackHandler() {
			@Override
			public Mono<Void> onChatModelStart(ChatModelStartEvent event) {
				return Mono.never();
			}
		};
		RecordingHandler witness = new RecordingHandler();
		ChatClient client = client(Duration.ofMillis(200), hung, witness);

		StepVerifier.create(client.prompt("x").stream().content()).expectNext("still", " here").verifyComplete();
		assertThat(client.prompt("y").call().content()).isEqualTo("still here");

		assertThat(witness.events(LlmEndEvent.class)).hasSize(2);
		assertThat(this.registry.find(LlmMeters.HANDLER_ERRORS).tag(LlmMeters.TAG_EVENT, "onChatModelStart").counter())
			.isNotNull()
			.satisfies(counter -> assertThat(counter.count()).isEqualTo(2));
	}

	@Test
	void timeToFirstTokenIsTheModelsTimeNotTheStartHandlers() {
		this.model.respondWith(prompt -> Reply.tokens("a", "b").usage(1, 2)).tokenDelay(Duration.ofMillis(20));
		ChatClient client = client(Duration.ofSeconds(10), new FlowerShopAsyncHandler(HALF_SECOND));

		client.prompt("x").stream().content().blockLast();

		io.micrometer.core.instrument.Timer ttft = this.registry.get(LlmMeters.TIME_TO_FIRST_TOKEN).timer();
		assertThat(ttft.count()).isOne();
		assertThat(ttft.max(java.util.concurrent.TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(20).isLessThan(400);
	}

	@Test
	void aFailingAsyncHandlerThatRaisesFailsTheStream() {
		this.model.respondWith(prompt -> Reply.tokens("x").usage(1, 1));
		AsyncCallbackHandler raising = new AsyncCallbackHandler() {
			@Override
			public Mono<Void> onChatModelStart(ChatModelStartEvent event) {
				return Mono.error(new IllegalStateException("async boom"));
			}

			@Override
			public boolean raiseError() {
				return true;
			}
		};

		StepVerifier.create(client(Duration.ofSeconds(1), raising).prompt("x").stream().content())
			.verifyErrorMessage("async boom");
	}

	@Test
	void syncHandlersCanRunOnTheirOwnBoundedScheduler() {
		this.model.respondWith(prompt -> Reply.tokens("a", "b", "c").usage(1, 3));
		List<String> threads = Collections.synchronizedList(new ArrayList<>());
		List<Integer> indexes = Collections.synchronizedList(new ArrayList<>());
		CallbackHandler slowSync = new CallbackHandler() {
			@Override
			public void onLlmNewToken(LlmNewTokenEvent event) {
				threads.add(Thread.currentThread().getName());
				indexes.add(event.index());
			}
		};
		CallbackManager manager = CallbackManager.builder()
			.syncHandlerScheduler(reactor.core.scheduler.Schedulers.newBoundedElastic(2, 100, "test-sync-handlers"))
			.build();
		ChatClient client = ChatClient.builder(this.model)
			.defaultAdvisors(CallbackAdvisors.of(manager))
			.defaultAdvisors(Callbacks.handlers(slowSync))
			.build();

		client.prompt("x").stream().content().blockLast();

		assertThat(indexes).containsExactly(0, 1, 2);
		assertThat(threads).allSatisfy(name -> assertThat(name).startsWith("test-sync-handlers"));
	}

	private static long timed(Runnable action) {
		long start = System.nanoTime();
		action.run();
		return Duration.ofNanos(System.nanoTime() - start).toMillis();
	}

	/**
	 * The lesson's async handler: "fetching flower data" on start, "a thank-you note" on
	 * end, without blocking.
	 */
	static final class FlowerShopAsyncHandler implements AsyncCallbackHandler {

		final AtomicInteger started = new AtomicInteger();

		final AtomicInteger startedDone = new AtomicInteger();

		final AtomicInteger ended = new AtomicInteger();

		final AtomicInteger endedDone = new AtomicInteger();

		private final Duration delay;

		FlowerShopAsyncHandler(Duration delay) {
			this.delay = delay;
		}

		@Override
		public Mono<Void> onChatModelStart(ChatModelStartEvent event) {
			this.started.incrementAndGet();
			return Mono.delay(this.delay).doOnNext(t -> this.startedDone.incrementAndGet()).then();
		}

		@Override
		public Mono<Void> onLlmEnd(LlmEndEvent event) {
			this.ended.incrementAndGet();
			return Mono.delay(this.delay).doOnNext(t -> this.endedDone.incrementAndGet()).then();
		}

	}

	/** Records what it receives per run, completing each event after a random delay. */
	static final class RandomDelayRecorder implements AsyncCallbackHandler {

		final Map<UUID, List<String>> byRun = new ConcurrentHashMap<>();

		private final int maxDelayMillis;

		RandomDelayRecorder(int maxDelayMillis) {
			this.maxDelayMillis = maxDelayMillis;
		}

		private Mono<Void> record(CallbackEvent event, String what) {
			return Mono.delay(Duration.ofMillis(ThreadLocalRandom.current().nextInt(this.maxDelayMillis)))
				.doOnNext(t -> this.byRun
					.computeIfAbsent(event.runId(), id -> Collections.synchronizedList(new ArrayList<>()))
					.add(what))
				.then();
		}

		@Override
		public Mono<Void> onChatModelStart(ChatModelStartEvent event) {
			return record(event, "llm_start");
		}

		@Override
		public Mono<Void> onLlmNewToken(LlmNewTokenEvent event) {
			return record(event, "token:" + event.index());
		}

		@Override
		public Mono<Void> onLlmEnd(LlmEndEvent event) {
			return record(event, "llm_end");
		}

		@Override
		public Mono<Void> onChainStart(dev.callbacks.event.ChainStartEvent event) {
			return record(event, "chain_start");
		}

		@Override
		public Mono<Void> onChainEnd(dev.callbacks.event.ChainEndEvent event) {
			return record(event, "chain_end");
		}

	}

}
