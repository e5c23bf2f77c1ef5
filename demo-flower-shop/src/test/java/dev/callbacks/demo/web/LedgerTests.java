package dev.callbacks.demo.web;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.callbacks.demo.OfflineShopTest;
import dev.callbacks.demo.usage.TokenCounts;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shop's usage ledger: each conversation's spend, at {@code /actuator/llmusage}
 * beside the metrics, is what its requests used.
 */
@OfflineShopTest
class LedgerTests {

	@Autowired
	private WebTestClient client;

	@Test
	void aConversationsSpendIsWhatItsRequestsUsed() {
		String conversation = "ledger-test-" + UUID.randomUUID();
		TokenCounts used = chat("Which flowers suit a birthday?", conversation)
			.plus(chat("How much would a dozen pink roses cost?", conversation));

		// Rows are written in the background, a moment after each answer.
		Map<String, Object> totals = await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> spend(conversation), (spend) -> spend != null && number(spend, "requests") == used.llmCalls());

		assertThat(number(totals, "inputTokens")).isEqualTo(used.promptTokens());
		assertThat(number(totals, "outputTokens")).isEqualTo(used.completionTokens());
		assertThat(number(totals, "totalTokens")).isEqualTo(used.totalTokens());
		assertThat(new BigDecimal(totals.get("cost").toString())).isEqualByComparingTo(used.cost());
		assertThat(used.llmCalls()).isGreaterThan(2);
	}

	@Test
	void theEndpointIsExposedBesideMetricsAndPrometheus() {
		this.client.get()
			.uri("/actuator")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$._links.llmusage")
			.exists()
			.jsonPath("$._links.metrics")
			.exists()
			.jsonPath("$._links.prometheus")
			.exists();
	}

	@Test
	void badInputIsABadRequest() {
		this.client.get().uri("/actuator/llmusage?groupBy=customer").exchange().expectStatus().isBadRequest();
		this.client.get().uri("/actuator/llmusage?from=yesterday").exchange().expectStatus().isBadRequest();
	}

	private TokenCounts chat(String message, String conversation) {
		ChatReply reply = this.client.post()
			.uri("/api/chat")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(new ChatRequest(message, conversation))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(ChatReply.class)
			.returnResult()
			.getResponseBody();
		return reply.usage();
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> spend(String conversation) {
		Map<String, Object> usage = this.client.get()
			.uri("/actuator/llmusage?groupBy=conversation&conversation={id}", conversation)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.returnResult()
			.getResponseBody();
		List<Map<String, Object>> totals = (List<Map<String, Object>>) usage.get("totals");
		return totals.isEmpty() ? null : totals.get(0);
	}

	private static long number(Map<String, Object> totals, String field) {
		return ((Number) totals.get(field)).longValue();
	}

}
