package dev.callbacks;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.callbacks.ai.CallbackAdvisors;
import dev.callbacks.event.ChatModelStartEvent;
import dev.callbacks.event.LlmEndEvent;
import dev.callbacks.event.LlmNewTokenEvent;
import dev.callbacks.metrics.MicrometerCallbackObserver;
import dev.callbacks.test.RecordingHandler;
import dev.callbacks.test.ScriptedChatModel;
import dev.callbacks.test.ScriptedChatModel.Reply;
import dev.callbacks.usage.ModelPrices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.ai.chat.client.ChatClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With BlockHound installed, the streaming path — sync and async handlers, a tracker, the
 * meters — makes no blocking call on a non-blocking thread. Tagged to run in a JVM of its
 * own (see the surefire executions): BlockHound cannot be uninstalled.
 */
@Tag("blockhound")
class StreamingBlockHoundTests {

	private final ScriptedChatModel model = new ScriptedChatModel();

	@BeforeAll
	static void installBlockHound() {
		BlockHound.install();
	}

	@Test
	void blockHoundIsActive() {
		String error = Mono.fromCallable(() -> {
			Thread.sleep(1);
			return 1;
		}).subscribeOn(Schedulers.parallel()).map(Object::toString).onErrorResume(e -> Mono.just(e.toString())).block();
		assertThat(error).contains("Blocking call");
	}

	@Test
	void streamingWithSyncAndAsyncHandlersDoesNotBlock() {
		// Chunks arrive on parallel (non-blocking) threads, as they would on Netty's
		// event loop.
		this.model.respondWith(prompt -> Reply.tokens("Roses", ", ", "tulips", " and ", "lilies", ".").usage(12, 6))
			.tokenDelay(Duration.ofMillis(2));
		AtomicInteger tokens = new AtomicInteger();
		CallbackHandler tokenCounter = new CallbackHandler() {
			@Override
			public void onLlmNewToken(LlmNewTokenEvent event) {
				tokens.incrementAndGet();
			}
		};
		AsyncCallbackHandler slowAsync = new AsyncCallbackHandler() {
			@Override
			public Mono<Void> onChatModelStart(ChatModelStartEvent event) {
				return Mono.delay(Duration.ofMillis(20)).then();
			}

			@Override
			public Mono<Void> onLlmNewToken(LlmNewTokenEvent event) {
				return Mono.delay(Duration.ofMillis(1)).then();
			}

			@Override
			public Mono<Void> onLlmEnd(LlmEndEvent event) {
				return Mono.delay(Duration.ofMillis(20)).then();
			}
		};
		RecordingHandler recorder = new RecordingHandler();
		ChatClient client = client(CallbackManager.builder(), tokenCounter, slowAsync, recorder);

		try (UsageTracker usage = UsageTracker.start()) {
			List<String> answers = Flux.range(0, 20)
				.flatMap(i -> client.prompt("q" + i).stream().content().collectList(), 20)
				.map(parts -> String.join("", parts))
				.collectList()
				.block();

			assertThat(answers).hasSize(20).allSatisfy(a -> assertThat(a).isEqualTo("Roses, tulips and lilies."));
			assertThat(tokens).hasValue(120);
			assertThat(recorder.events(LlmEndEvent.class)).hasSize(20);
			assertThat(usage.totalTokens()).isEqualTo(360);
		}
	}

	@Test
	void aBlockingSyncHandlerOnTheSyncHandlerSchedulerDoesNotBlockTheStream() {
		this.model.respondWith(prompt -> Reply.tokens("a", "b", "c").usage(1, 3)).tokenDelay(Duration.ofMillis(1));
		CallbackHandler sleepy = new CallbackHandler() {
			@Override
			public void onLlmNewToken(LlmNewTokenEvent event) {
				try {
					Thread.sleep(5);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		};
		ChatClient client = client(
				CallbackManager.builder().syncHandlerScheduler(Schedulers.newBoundedElastic(4, 1000, "sync-handlers")),
				sleepy);

		assertThat(client.prompt("x").stream().content().collectList().block()).containsExactly("a", "b", "c");
	}

	private ChatClient client(CallbackManager.Builder builder, BaseCallbackHandler... handlers) {
		CallbackManager manager = builder
			.prices(ModelPrices
				.of(Map.of(ScriptedChatModel.MODEL, new ModelPrices.Price(BigDecimal.ONE, BigDecimal.TEN, null))))
			.observers(List.of(new MicrometerCallbackObserver(new SimpleMeterRegistry())))
			.build();
		return ChatClient.builder(this.model)
			.defaultAdvisors(CallbackAdvisors.of(manager))
			.defaultAdvisors(Callbacks.handlers(handlers))
			.build();
	}

}
