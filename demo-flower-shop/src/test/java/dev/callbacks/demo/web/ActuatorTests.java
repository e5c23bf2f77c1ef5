package dev.callbacks.demo.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.callbacks.demo.OfflineShopTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The actuator endpoints the demo exposes, and the starter's {@code llm.*} meters in them
 * after a chat.
 */
@OfflineShopTest
class ActuatorTests {

	@Autowired
	private WebTestClient client;

	@BeforeEach
	void chatOnce() {
		this.client.post()
			.uri("/api/chat")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(new ChatRequest("What do sunflowers mean?", null))
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void healthIsUp() {
		this.client.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP");
	}

	@Test
	void llmMetersAreVisible() {
		Map<String, Object> tokens = metric("llm.tokens");
		assertThat(tokens).containsEntry("baseUnit", "tokens");
		assertThat(measurement(tokens)).isPositive();
		assertThat(tags(tokens).get("client")).contains("flower_shop");
		assertThat(tags(tokens).get("model")).contains("flower-catalog-1");
		assertThat(tags(tokens).get("type")).contains("input", "output");

		assertThat(measurement(metric("llm.requests"))).isPositive();
		assertThat(measurement(metric("llm.cost"))).isPositive();
		assertThat(measurement(metric("llm.http.request.tokens"))).isPositive();
		assertThat(tags(metric("llm.http.request.tokens")).get("uri")).contains("/api/chat");
	}

	@Test
	void prometheusScrapeHasTheLlmMeters() {
		String scrape = this.client.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();

		assertThat(scrape).contains(
				"llm_tokens_total{client=\"flower_shop\",model=\"flower-catalog-1\",type=\"input\"}",
				"llm_requests_total{client=\"flower_shop\",model=\"flower-catalog-1\",outcome=\"success\"}",
				"llm_cost_USD_total{", "llm_http_request_tokens_count{uri=\"/api/chat\"}");
	}

	@Test
	void usageTotalsComeFromTheMeters() {
		Map<String, Object> tokens = metric("llm.tokens");

		this.client.get()
			.uri("/api/usage")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.totalTokens")
			.isEqualTo((long) measurement(tokens));
	}

	private Map<String, Object> metric(String name) {
		return this.client.get()
			.uri("/actuator/metrics/{name}", name)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.returnResult()
			.getResponseBody();
	}

	@SuppressWarnings("unchecked")
	private static double measurement(Map<String, Object> metric) {
		List<Map<String, Object>> measurements = (List<Map<String, Object>>) metric.get("measurements");
		return ((Number) measurements.get(0).get("value")).doubleValue();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, List<String>> tags(Map<String, Object> metric) {
		Map<String, List<String>> tags = new LinkedHashMap<>();
		for (Map<String, Object> tag : (List<Map<String, Object>>) metric.get("availableTags")) {
			tags.put((String) tag.get("tag"), (List<String>) tag.get("values"));
		}
		return tags;
	}

}
