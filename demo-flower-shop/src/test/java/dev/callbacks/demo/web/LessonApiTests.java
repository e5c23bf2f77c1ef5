package dev.callbacks.demo.web;

import java.util.List;

import dev.callbacks.demo.OfflineShopTest;
import dev.callbacks.demo.memory.BirthdayConversation;
import dev.callbacks.demo.memory.ConversationReport;
import dev.callbacks.demo.memory.TurnReport;
import dev.callbacks.demo.usage.TokenCounts;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lesson's experiments: {@code POST /api/conversation},
 * {@code GET /api/memory-report} and {@code POST /api/concurrent}, end to end with the
 * offline model.
 */
@OfflineShopTest
class LessonApiTests {

	@Autowired
	private WebTestClient client;

	@Test
	void bufferMemoryRemembersAndGrows() {
		EntityExchangeResult<ConversationReport> result = conversation("buffer");
		ConversationReport report = result.getResponseBody();

		assertThat(report.memory()).isEqualTo("buffer");
		assertThat(report.turns()).extracting(TurnReport::message).isEqualTo(BirthdayConversation.TURNS);
		assertThat(report.turns()).allSatisfy((turn) -> {
			assertThat(turn.usage().totalTokens()).isPositive();
			assertThat(turn.usage().llmCalls()).isOne();
		});
		assertThat(report.turns().get(2).reply()).contains("birthday bouquet for your sister")
			.contains("she likes pink roses");
		// Every turn sends all the earlier ones.
		assertThat(report.turns()).extracting((turn) -> turn.usage().promptTokens()).isSorted().doesNotHaveDuplicates();
		assertThat(report.turns()).extracting(TurnReport::memory)
			.containsExactly("2 messages", "4 messages", "6 messages");
		assertThat(report.total()).isEqualTo(sum(report.turns()));
		// The turns' trackers sit inside the request's tracker (carried to the worker
		// thread by context propagation), so the request counted exactly the same.
		UsageHeader.parse(result.getResponseHeaders().getFirst("LLM-Usage")).assertMatches(report.total());
	}

	@Test
	void windowMemoryForgetsTheFirstTurn() {
		ConversationReport window = conversation("window").getResponseBody();
		ConversationReport buffer = conversation("buffer").getResponseBody();

		TurnReport last = window.turns().get(2);
		assertThat(last.reply()).contains("pink roses").doesNotContain("sister").doesNotContain("birthday");
		assertThat(last.memory()).isEqualTo("2 messages");
		assertThat(last.usage().promptTokens()).isLessThan(buffer.turns().get(2).usage().promptTokens());
	}

	@Test
	void summaryMemoryRemembersThroughASummaryAtTheCostOfAnExtraCall() {
		ConversationReport report = conversation("summary").getResponseBody();

		assertThat(report.turns()).allSatisfy((turn) -> assertThat(turn.usage().llmCalls()).isEqualTo(2));
		assertThat(report.turns().get(0).memory())
			.isEqualTo("Summary: The customer needs a birthday bouquet for their sister, for tomorrow.");
		assertThat(report.turns().get(1).memory()).endsWith("She likes pink roses.");
		assertThat(report.turns().get(2).reply()).contains("birthday bouquet for your sister")
			.contains("she likes pink roses");
		assertThat(report.total()).isEqualTo(sum(report.turns()));
	}

	@Test
	void conversationNeedsAKnownMemory() {
		this.client.post().uri("/api/conversation?memory=goldfish").exchange().expectStatus().isBadRequest();
	}

	@Test
	void memoryReportRunsAllThreeMemories() {
		EntityExchangeResult<MemoryReport> result = this.client.get()
			.uri("/api/memory-report")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(MemoryReport.class)
			.returnResult();
		MemoryReport report = result.getResponseBody();

		assertThat(report.turns()).isEqualTo(BirthdayConversation.TURNS);
		assertThat(report.windowMessages()).isEqualTo(2);
		assertThat(report.memories()).extracting(ConversationReport::memory)
			.containsExactly("buffer", "window", "summary");
		assertThat(report.memories()).allSatisfy((memory) -> assertThat(memory.turns()).hasSize(3));
		// Run side by side on three threads, all counted in the request's tracker.
		TokenCounts all = report.memories()
			.stream()
			.map(ConversationReport::total)
			.reduce(TokenCounts.ZERO, TokenCounts::plus);
		UsageHeader.parse(result.getResponseHeaders().getFirst("LLM-Usage")).assertMatches(all);
	}

	@Test
	void concurrentRequestsAddUpInOneTracker() {
		EntityExchangeResult<ConcurrentReport> result = concurrent(3);
		ConcurrentReport report = result.getResponseBody();

		assertThat(report.question()).isEqualTo("What colour flowers does my sister like?");
		assertThat(report.parts()).extracting(ConcurrentReport.Part::number).containsExactly(1, 2, 3);
		assertThat(report.parts()).allSatisfy((part) -> {
			assertThat(part.answer()).isNotBlank();
			assertThat(part.usage().totalTokens()).isPositive();
			assertThat(part.usage().llmCalls()).isOne();
		});
		TokenCounts parts = report.parts()
			.stream()
			.map(ConcurrentReport.Part::usage)
			.reduce(TokenCounts.ZERO, TokenCounts::plus);
		// The tracker's total is the sum of the parts.
		assertThat(report.total().promptTokens()).isEqualTo(parts.promptTokens());
		assertThat(report.total().completionTokens()).isEqualTo(parts.completionTokens());
		assertThat(report.total().totalTokens()).isEqualTo(parts.totalTokens());
		assertThat(report.total().llmCalls()).isEqualTo(parts.llmCalls());
		assertThat(report.total().cost()).isPositive().isEqualByComparingTo(parts.cost());
		// And it counted into the request's tracker, its parent.
		UsageHeader.parse(result.getResponseHeaders().getFirst("LLM-Usage")).assertMatches(report.total());
	}

	@Test
	void concurrentRequestsWaitForTheAsyncHandlerSideBySide() {
		int n = 6;
		ConcurrentReport report = concurrent(n).getResponseBody();

		// Each request waits twice for the async handler (start and end). One after the
		// other that is at least n * 2 * delay; the handler's waits are timers, so the
		// requests overlap.
		assertThat(report.parts()).hasSize(n);
		assertThat(report.elapsedMillis()).isLessThan(n * 2 * OfflineShopTest.ASYNC_HANDLER_DELAY_MILLIS);
	}

	@Test
	void concurrentNeedsASensibleN() {
		this.client.post().uri("/api/concurrent?n=0").exchange().expectStatus().isBadRequest();
		this.client.post().uri("/api/concurrent?n=1000").exchange().expectStatus().isBadRequest();
	}

	private EntityExchangeResult<ConversationReport> conversation(String memory) {
		return this.client.post()
			.uri("/api/conversation?memory={memory}", memory)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(ConversationReport.class)
			.returnResult();
	}

	private EntityExchangeResult<ConcurrentReport> concurrent(int n) {
		return this.client.post()
			.uri("/api/concurrent?n={n}", n)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(ConcurrentReport.class)
			.returnResult();
	}

	private static TokenCounts sum(List<TurnReport> turns) {
		return turns.stream().map(TurnReport::usage).reduce(TokenCounts.ZERO, TokenCounts::plus);
	}

}
