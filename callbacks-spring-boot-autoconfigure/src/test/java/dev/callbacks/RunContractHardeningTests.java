package dev.callbacks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.callbacks.ai.CallbackAdvisors;
import dev.callbacks.event.CallbackEvent;
import dev.callbacks.event.LlmNewTokenEvent;
import dev.callbacks.metrics.LlmMeters;
import dev.callbacks.metrics.MicrometerCallbackObserver;
import dev.callbacks.test.RecordingHandler;
import dev.callbacks.test.ScriptedChatModel;
import dev.callbacks.test.ScriptedChatModel.Reply;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import org.springframework.ai.chat.client.ChatClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-run contract (start, tokens, one end or error, children before parents) under a
 * saturated sync-handler scheduler, cancel storms and hung async handlers.
 */
@Timeout(60)
class RunContractHardeningTests {

	private final ScriptedChatModel model = new ScriptedChatModel();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@Test
	void saturatedSyncHandlerSchedulerSlowsStreamsButDropsNoEvent() {
		// One thread and a queue of one: 20 concurrent streams saturate it at once.
		Scheduler scheduler = Schedulers.newBoundedElastic(1, 1, "saturated-handlers");
		try {
			RecordingHandler slow = new RecordingHandler() {
				@Override
				protected void record(CallbackEvent event) {
					// a handler that blocks briefly, as one writing to a slow sink would
					java.util.concurrent.locks.LockSupport.parkNanos(200_000);
					super.record(event);
				}
			};
			this.model.respondWith((prompt) -> Reply.tokens("a", "b", "c", "d", "e").usage(3, 5));
			ChatClient client = client(CallbackManager.builder().syncHandlerScheduler(scheduler), slow);

			Flux.range(0, 20)
				.flatMap((i) -> client.prompt("q" + i).stream().content().subscribeOn(Schedulers.parallel()))
				.collectList()
				.block(Duration.ofSeconds(30));

			assertPerRunContract(slow, 20, 5);
			assertThat(this.registry.find(LlmMeters.HANDLER_ERRORS).counters()).as("no event was rejected").isEmpty();
		}
		finally {
			scheduler.dispose();
		}
	}

	@Test
	void cancelStormNeverDeliversATokenAfterTheErrorNorEndsARoundAfterItsChain() {
		this.model.respondWith((prompt) -> Reply.tokens("a", "b", "c", "d", "e", "f", "g", "h").usage(3, 8))
			.tokenDelay(Duration.ofNanos(50_000));
		RecordingHandler recorder = new RecordingHandler();
		ChatClient client = client(CallbackManager.builder(), recorder);

		Flux.range(0, 300)
			.flatMap((i) -> client.prompt("q" + i)
				.stream()
				.content()
				// cancelled from a timer thread while chunks arrive on another: the race
				.takeUntilOther(Mono.delay(Duration.ofNanos(40_000L * (1 + i % 8))))
				.subscribeOn(Schedulers.parallel()), 64)
			.collectList()
			.block(Duration.ofSeconds(30));

		List<CallbackEvent> events = recorder.events();
		Map<UUID, String> terminal = new ConcurrentHashMap<>();
		Map<UUID, Integer> position = new ConcurrentHashMap<>();
		for (int i = 0; i < events.size(); i++) {
			CallbackEvent event = events.get(i);
			String kind = RecordingHandlerKinds.of(event);
			if (kind.equals("token")) {
				assertThat(terminal).as("token after the end or error of its run").doesNotContainKey(event.runId());
			}
			if (kind.endsWith("_end") || kind.endsWith("_error")) {
				assertThat(terminal.put(event.runId(), kind)).as("one end or error per run").isNull();
				position.put(event.runId(), i);
			}
		}
		for (CallbackEvent event : events) {
			if (event.parentRunId() != null && position.containsKey(event.runId())) {
				assertThat(position.get(event.runId())).as("child ends before its parent")
					.isLessThan(position.get(event.parentRunId()));
			}
		}
		assertThat(terminal).as("every chain and every round that started ended").hasSizeGreaterThanOrEqualTo(300);
	}

	@Test
	void oneTimeoutBoundsAHungAsyncHandlerPerRun() {
		this.model.then(Reply.tokens("a", "b", "c", "d", "e", "f", "g", "h", "i", "j").usage(3, 10));
		AtomicInteger tokenCalls = new AtomicInteger();
		AsyncCallbackHandler hung = new AsyncCallbackHandler() {
			@Override
			public Mono<Void> onLlmNewToken(LlmNewTokenEvent event) {
				tokenCalls.incrementAndGet();
				return Mono.never();
			}
		};
		ChatClient client = client(CallbackManager.builder().asyncTimeout(Duration.ofMillis(300)), hung);

		StepVerifier.create(client.prompt("x").stream().content())
			.expectNextCount(10)
			.expectComplete()
			.verify(Duration.ofSeconds(20));

		assertThat(tokenCalls).as("waited for once, then left out of the run").hasValue(1);
		assertThat(this.registry.find(LlmMeters.HANDLER_ERRORS).tag(LlmMeters.TAG_EVENT, "onLlmNewToken").counter())
			.isNotNull()
			.satisfies((counter) -> assertThat(counter.count()).isEqualTo(1));
	}

	private ChatClient client(CallbackManager.Builder manager, BaseCallbackHandler handler) {
		CallbackManager built = manager.handlers(List.of(handler))
			.observers(List.of(new MicrometerCallbackObserver(this.registry)))
			.build();
		return ChatClient.builder(this.model).defaultAdvisors(CallbackAdvisors.of(built)).build();
	}

	private static void assertPerRunContract(RecordingHandler handler, int chains, int tokensPerRound) {
		Map<UUID, List<String>> byRun = new ConcurrentHashMap<>();
		for (CallbackEvent event : handler.events()) {
			byRun.computeIfAbsent(event.runId(), (id) -> new ArrayList<>()).add(RecordingHandlerKinds.of(event));
		}
		assertThat(byRun).hasSize(chains * 2);
		for (List<String> kinds : byRun.values()) {
			if (kinds.get(0).equals("chain_start")) {
				assertThat(kinds).containsExactly("chain_start", "chain_end");
			}
			else {
				List<String> expected = new ArrayList<>();
				expected.add("llm_start");
				for (int i = 0; i < tokensPerRound; i++) {
					expected.add("token");
				}
				expected.add("llm_end");
				assertThat(kinds).isEqualTo(expected);
			}
		}
	}

	/** The recording handler's event kinds, for events collected here. */
	static final class RecordingHandlerKinds extends RecordingHandler {

		static String of(CallbackEvent event) {
			return kind(event);
		}

	}

}
