package dev.callbacks.demo.web;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.callbacks.demo.OfflineShopTest;
import dev.callbacks.demo.usage.TokenCounts;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The daily budget per customer ({@code callbacks.budgets.customer-daily}: 2,000 tokens
 * per conversation and UTC day): a customer who has used it up gets the library's 429
 * problem detail, another customer does not notice, and {@code /api/budget} shows what
 * the customer spent.
 */
@OfflineShopTest
class BudgetTests {

	private static final long LIMIT = 2000;

	// Questions the offline model answers in one model call (no tools), so that every
	// round of an answered request is in its usage.
	private static final List<String> QUESTIONS = List.of("Which flowers suit a birthday?",
			"Which flowers suit a wedding?", "Which flowers suit an anniversary?", "Which flowers suit a thank-you?",
			"What does a peony mean?", "What does lavender mean?");

	private static final JsonMapper json = JsonMapper.shared();

	@Autowired
	private WebTestClient client;

	@Test
	void aCustomerWhoseBudgetRanOutGetsA429UntilTheNextDay() {
		String customer = "budget-" + UUID.randomUUID();
		Spending spending = chatUntilRefused(customer);

		// A handful of questions, not one and not dozens.
		assertThat(spending.answered).isBetween(3, 15);
		assertThat(spending.headers.getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		Map<String, Object> problem = spending.problem;
		assertThat(problem).containsEntry("status", 429)
			.containsEntry("title", "Too Many Requests")
			.containsEntry("instance", "/api/chat")
			.containsEntry("budget", "customer-daily")
			.containsEntry("scope", "conversation")
			.containsEntry("limitTokens", (int) LIMIT);
		assertThat((String) problem.get("detail")).startsWith("Budget 'customer-daily' (conversation, calendar day)")
			.doesNotContain(customer);
		// Refused because this round, prompt plus 256 output tokens, does not fit on top
		// of what was spent: the answered questions.
		long spent = ((Number) problem.get("spentTokens")).longValue();
		long requested = ((Number) problem.get("requestedTokens")).longValue();
		assertThat(spent).isEqualTo(spending.used.totalTokens());
		assertThat(spent + requested).isGreaterThan(LIMIT);
		assertThat(requested).isGreaterThan(256);
		// Until midnight UTC, and Retry-After says how long that is.
		Instant resetsAt = Instant.parse((String) problem.get("resetsAt"));
		assertThat(resetsAt.atOffset(ZoneOffset.UTC).toLocalTime()).isEqualTo(LocalTime.MIDNIGHT);
		assertThat(resetsAt).isAfter(Instant.now()).isBeforeOrEqualTo(Instant.now().plus(Duration.ofDays(1)));
		long retryAfter = Long.parseLong(spending.headers.getFirst(HttpHeaders.RETRY_AFTER));
		assertThat(retryAfter).isPositive().isLessThanOrEqualTo(Duration.ofDays(1).toSeconds());
		assertThat(Instant.now().plusSeconds(retryAfter)).isCloseTo(resetsAt, within(5, ChronoUnit.SECONDS));

		// Refused again, however small the question: the budget stays used up.
		chatRefused("Hi", customer);
	}

	@Test
	void anotherCustomerIsUnaffected() {
		String spender = "budget-" + UUID.randomUUID();
		chatUntilRefused(spender);

		ChatReply other = chat(QUESTIONS.get(0), "budget-other-" + UUID.randomUUID()).getResponseBody();

		assertThat(other.reply()).contains("For a birthday, I'd suggest roses");
		assertThat(other.usage().llmCalls()).isOne();
		chatRefused(QUESTIONS.get(0), spender);
	}

	@Test
	void theStreamSaysWhenTheBudgetResets() {
		String customer = "budget-" + UUID.randomUUID();
		Spending spending = chatUntilRefused(customer);

		List<ServerSentEvent<String>> events = stream(QUESTIONS.get(0), customer);

		// No model call, so no tokens: one event with the 429's fields.
		assertThat(events).singleElement().satisfies((event) -> assertThat(event.event()).isEqualTo("budget"));
		StreamEvents.BudgetExceeded exceeded = json.readValue(events.get(0).data(), StreamEvents.BudgetExceeded.class);
		Map<String, Object> problem = spending.problem;
		assertThat(exceeded.budget()).isEqualTo("customer-daily");
		assertThat(exceeded.limitTokens()).isEqualTo(LIMIT);
		assertThat(exceeded.spentTokens()).isEqualTo(spending.used.totalTokens());
		assertThat(exceeded.resetsAt()).isEqualTo(Instant.parse((String) problem.get("resetsAt")));
		assertThat(exceeded.retryAfterSeconds()).isPositive();
		assertThat(exceeded.duringStream()).isFalse();
		assertThat(exceeded.detail()).startsWith("Budget 'customer-daily'").doesNotContain(customer);
	}

	@Test
	void theBudgetThePageShowsIsWhatTheCustomerSpent() {
		String customer = "budget-" + UUID.randomUUID();
		CustomerBudget fresh = budget(customer);
		assertThat(fresh.spentTokens()).isZero();
		assertThat(fresh.remainingTokens()).isEqualTo(LIMIT);

		TokenCounts used = chat(QUESTIONS.get(0), customer).getResponseBody()
			.usage()
			.plus(chat(QUESTIONS.get(1), customer).getResponseBody().usage());

		// Ledger rows are written a moment after each answer.
		CustomerBudget shown = await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> budget(customer), (budget) -> budget.spentTokens() >= used.totalTokens());
		assertThat(shown.budget()).isEqualTo("customer-daily");
		assertThat(shown.conversationId()).isEqualTo(customer);
		assertThat(shown.period()).isEqualTo("day");
		assertThat(shown.limitTokens()).isEqualTo(LIMIT);
		assertThat(shown.spentTokens()).isEqualTo(used.totalTokens());
		assertThat(shown.remainingTokens()).isEqualTo(LIMIT - used.totalTokens());
		assertThat(shown.periodStart().atOffset(ZoneOffset.UTC).toLocalTime()).isEqualTo(LocalTime.MIDNIGHT);
		assertThat(shown.resetsAt()).isEqualTo(shown.periodStart().plus(Duration.ofDays(1)));
		assertThat(shown.resetsAt()).isAfter(Instant.now());
		// Another customer's spending is not in it.
		assertThat(budget("budget-other-" + UUID.randomUUID()).spentTokens()).isZero();
	}

	@Test
	void theBudgetNeedsACustomer() {
		this.client.get().uri("/api/budget?conversationId= ").exchange().expectStatus().isBadRequest();
	}

	private Spending chatUntilRefused(String customer) {
		TokenCounts used = TokenCounts.ZERO;
		for (int answered = 0; answered < 30; answered++) {
			EntityExchangeResult<byte[]> result = this.client.post()
				.uri("/api/chat")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(new ChatRequest(QUESTIONS.get(answered % QUESTIONS.size()), customer))
				.exchange()
				.expectBody()
				.returnResult();
			if (result.getStatus() == HttpStatus.TOO_MANY_REQUESTS) {
				Map<String, Object> problem = json.readValue(result.getResponseBodyContent(),
						new TypeReference<Map<String, Object>>() {
						});
				return new Spending(answered, used, result.getResponseHeaders(), problem);
			}
			assertThat(result.getStatus()).isEqualTo(HttpStatus.OK);
			ChatReply reply = json.readValue(result.getResponseBodyContent(), ChatReply.class);
			assertThat(reply.usage().llmCalls()).isOne();
			used = used.plus(reply.usage());
		}
		throw new AssertionError("30 questions and the budget has not run out");
	}

	private void chatRefused(String message, String customer) {
		this.client.post()
			.uri("/api/chat")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(new ChatRequest(message, customer))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
			.expectHeader()
			.exists(HttpHeaders.RETRY_AFTER);
	}

	private EntityExchangeResult<ChatReply> chat(String message, String customer) {
		return this.client.post()
			.uri("/api/chat")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(new ChatRequest(message, customer))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(ChatReply.class)
			.returnResult();
	}

	private CustomerBudget budget(String customer) {
		return this.client.get()
			.uri("/api/budget?conversationId={id}", customer)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(CustomerBudget.class)
			.returnResult()
			.getResponseBody();
	}

	private List<ServerSentEvent<String>> stream(String message, String customer) {
		return this.client.get()
			.uri((uri) -> uri.path("/api/chat/stream")
				.queryParam("message", message)
				.queryParam("conversationId", customer)
				.build())
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			})
			.getResponseBody()
			.collectList()
			.block(Duration.ofSeconds(30));
	}

	/**
	 * What a customer's answered questions used, and the response that refused the next.
	 */
	private record Spending(int answered, TokenCounts used, HttpHeaders headers, Map<String, Object> problem) {
	}

}
