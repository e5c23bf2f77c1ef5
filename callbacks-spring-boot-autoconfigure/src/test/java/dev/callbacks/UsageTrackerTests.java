package dev.callbacks;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.callbacks.test.ScriptedChatModel;
import dev.callbacks.test.ScriptedChatModel.Reply;
import dev.callbacks.usage.TokenUsage;
import dev.callbacks.usage.ModelPrices;
import io.micrometer.context.ContextExecutorService;
import io.micrometer.context.ContextSnapshotFactory;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.tool.annotation.Tool;

import static org.assertj.core.api.Assertions.assertThat;

/** The Java get_openai_callback: what it counts, across threads and pipelines, nested. */
class UsageTrackerTests {

	private final ScriptedChatModel model = new ScriptedChatModel();

	// No handler at all: the tracker alone must be enough for the adapter to run.
	private final ChatClient client = ChatClient.builder(this.model).defaultAdvisors(Callbacks.handlers()).build();

	@Test
	void countsCallsStreamsAndEveryToolRound() {
		this.model.then(Reply.text("hello").usage(10, 2))
			.then(Reply.tokens("a", "b").usage(7, 2))
			.then(Reply.toolCall("stock", "{\"flower\":\"rose\"}").usage(20, 5))
			.then(Reply.text("42").usage(30, 1));

		try (UsageTracker usage = UsageTracker.start()) {
			this.client.prompt("one").call().content();
			this.client.prompt("two").stream().content().blockLast();
			this.client.prompt("three").tools(new StockTools()).call().content();

			assertThat(usage.promptTokens()).isEqualTo(67);
			assertThat(usage.completionTokens()).isEqualTo(10);
			assertThat(usage.totalTokens()).isEqualTo(77);
			assertThat(usage.successfulRequests()).isEqualTo(4);
			assertThat(usage.failedRequests()).isZero();
			assertThat(usage.byModel()).containsOnlyKeys(ScriptedChatModel.MODEL);
			assertThat(usage.unpricedModels()).containsExactly(ScriptedChatModel.MODEL);
			assertThat(usage.totalCost()).isEqualByComparingTo(BigDecimal.ZERO);
		}
	}

	@Test
	void threeConcurrentStreamsAreAllCounted() {
		this.model.respondWith(prompt -> Reply.tokens("x", "y", "z").usage(11, 3))
			.tokenDelay(java.time.Duration.ofMillis(5));

		try (UsageTracker usage = UsageTracker.start()) {
			Flux<String> a = this.client.prompt("a").stream().content();
			Flux<String> b = this.client.prompt("b").stream().content();
			Flux<String> c = this.client.prompt("c").stream().content();
			Flux.merge(a, b, c).blockLast();

			assertThat(usage.totalTokens()).isEqualTo(42);
			assertThat(usage.successfulRequests()).isEqualTo(3);
		}
	}

	@Test
	void streamsSubscribedOnOtherThreadsCountWhenTheContextIsCaptured() {
		this.model.respondWith(prompt -> Reply.tokens("x").usage(5, 1));

		try (UsageTracker usage = UsageTracker.start()) {
			Flux.merge(this.client.prompt("a").stream().content().subscribeOn(Schedulers.parallel()),
					this.client.prompt("b").stream().content().subscribeOn(Schedulers.boundedElastic()))
				.contextCapture()
				.blockLast();

			assertThat(usage.totalTokens()).isEqualTo(12);
		}
	}

	@Test
	void tasksOfContextPropagatingExecutorsAreCounted() throws Exception {
		this.model.respondWith(prompt -> Reply.text("ok").usage(4, 1));
		ExecutorService executor = ContextExecutorService.wrap(Executors.newFixedThreadPool(4),
				ContextSnapshotFactory.builder().build()::captureAll);
		try (UsageTracker usage = UsageTracker.start()) {
			List<Future<String>> futures = new java.util.ArrayList<>();
			for (int i = 0; i < 8; i++) {
				futures.add(executor.submit(() -> this.client.prompt("q").call().content()));
			}
			for (Future<String> future : futures) {
				future.get();
			}
			assertThat(usage.totalTokens()).isEqualTo(40);
			assertThat(usage.successfulRequests()).isEqualTo(8);
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void nestedTrackersBothCountAndCloseRestoresTheOuterOne() {
		this.model.respondWith(prompt -> Reply.text("ok").usage(10, 5));

		try (UsageTracker outer = UsageTracker.start()) {
			this.client.prompt("before").call().content();
			try (UsageTracker inner = UsageTracker.start()) {
				assertThat(UsageTracker.current()).containsSame(inner);
				this.client.prompt("inside").call().content();
				assertThat(inner.totalTokens()).isEqualTo(15);
			}
			assertThat(UsageTracker.current()).containsSame(outer);
			this.client.prompt("after").call().content();
			assertThat(outer.totalTokens()).isEqualTo(45);
			assertThat(outer.successfulRequests()).isEqualTo(3);
		}
		assertThat(UsageTracker.current()).isEmpty();
	}

	@Test
	void closingOutOfOrderNeverLeavesAClosedTrackerCurrent() {
		UsageTracker outer = UsageTracker.start();
		UsageTracker inner = UsageTracker.start();
		outer.close();
		assertThat(UsageTracker.current()).containsSame(inner);
		inner.close();
		assertThat(UsageTracker.current()).isEmpty();
	}

	@Test
	void openingAMillionTrackersLeavesNothingBehind() {
		for (int i = 0; i < 1_000_000; i++) {
			try (UsageTracker tracker = UsageTracker.start()) {
				assertThat(tracker.parent()).isEmpty();
			}
		}
		assertThat(UsageTracker.current()).isEmpty();
		// nothing global holds trackers: a new one still has no parent and counts from
		// zero
		try (UsageTracker tracker = UsageTracker.start()) {
			assertThat(tracker.parent()).isEmpty();
			assertThat(tracker.totalTokens()).isZero();
		}
	}

	@Test
	void failedRoundsAreCountedAsFailedRequests() {
		this.model.then(Reply.error(new IllegalStateException("down")));

		try (UsageTracker usage = UsageTracker.start()) {
			try {
				this.client.prompt("x").call().content();
			}
			catch (IllegalStateException expected) {
				// counted below
			}
			assertThat(usage.failedRequests()).isEqualTo(1);
			assertThat(usage.successfulRequests()).isZero();
		}
	}

	@Test
	void costOfPricedPrefixMatchedAndUnknownModels() {
		this.model.then(Reply.text("a").usage(1_000_000, 1_000_000).model("gpt-4o-mini"))
			.then(Reply.text("b").usage(1_000_000, 0, 400_000, 0).model("gpt-4o-mini-2024-07-18"))
			.then(Reply.text("c").usage(100, 100).model("shop-llm-7b"));
		ModelPrices.Price miniPrice = ModelPrices.defaults().lookup("gpt-4o-mini");
		assertThat(miniPrice).isNotNull();

		try (UsageTracker usage = UsageTracker.start()) {
			this.client.prompt("a").call().content();
			this.client.prompt("b").call().content();
			this.client.prompt("c").call().content();

			BigDecimal exact = miniPrice.prompt().add(miniPrice.completion());
			BigDecimal cachedPrice = (miniPrice.cachedPrompt() != null) ? miniPrice.cachedPrompt() : miniPrice.prompt();
			BigDecimal prefixed = miniPrice.prompt()
				.multiply(new BigDecimal("0.6"))
				.add(cachedPrice.multiply(new BigDecimal("0.4")));
			assertThat(usage.totalCost()).isEqualByComparingTo(exact.add(prefixed));
			assertThat(usage.unpricedModels()).containsExactly("shop-llm-7b");
			assertThat(usage.byModel()).containsOnlyKeys("gpt-4o-mini", "gpt-4o-mini-2024-07-18", "shop-llm-7b");
			assertThat(usage.cachedPromptTokens()).isEqualTo(400_000);
		}
	}

	@Test
	void cachedAndReasoningTokensAreCounted() {
		this.model.then(Reply.text("hmm").usage(100, 50, 60, 30));

		try (UsageTracker usage = UsageTracker.start()) {
			this.client.prompt("think").call().content();
			assertThat(usage.cachedPromptTokens()).isEqualTo(60);
			assertThat(usage.reasoningTokens()).isEqualTo(30);
			assertThat(usage.byModel().get(ScriptedChatModel.MODEL))
				.isEqualTo(new TokenUsage(100, 50, 150, 60, 30, false));
		}
	}

	@Test
	void aStreamThatStopsReportingUsageIsStillCountedAsAnEstimate() {
		this.model.then(Reply.tokens("a", "b").usage(7, 2))
			.then(Reply.tokens("c", "d", "e").usage(1, 1).noUsageInStream());

		try (UsageTracker usage = UsageTracker.start()) {
			this.client.prompt("first").stream().content().blockLast();
			// The model reported usage, so its next stream's text is not collected; it
			// then reports none.
			this.client.prompt("second").stream().content().blockLast();

			TokenUsage counted = usage.byModel().get(ScriptedChatModel.MODEL);
			assertThat(counted.estimated()).isTrue();
			assertThat(counted.completionTokens()).isEqualTo(2 + 3);
			// "second" is one token, plus 3 for the message and 3 to prime the reply
			assertThat(counted.promptTokens()).isEqualTo(7 + 7);
		}
	}

	@Test
	void trackerWorksWithoutAnyCallbackHandlerOnTheClient() {
		this.model.then(Reply.text("ok").usage(3, 2));
		ChatClient bare = ChatClient.builder(this.model)
			.defaultAdvisors(dev.callbacks.ai.ChainRunAdvisor.INSTANCE, dev.callbacks.ai.LlmRunAdvisor.INSTANCE)
			.build();
		try (UsageTracker usage = UsageTracker.start()) {
			bare.prompt("x").call().content();
			assertThat(usage.byModel()).isEqualTo(Map.of(ScriptedChatModel.MODEL, TokenUsage.of(3, 2)));
		}
	}

	static class StockTools {

		@Tool(name = "stock", description = "Stems in stock")
		String stock(String flower) {
			return "42";
		}

	}

}
