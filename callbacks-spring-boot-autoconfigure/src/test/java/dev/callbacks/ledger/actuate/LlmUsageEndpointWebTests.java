package dev.callbacks.ledger.actuate;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

import dev.callbacks.ledger.UsageLedgerRecorder;
import dev.callbacks.test.LlmRuns;
import dev.callbacks.usage.TokenUsage;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/llmusage} in a real WebFlux application with the ledger on an embedded
 * database: JSON totals, and 400 Bad Request for input it cannot read.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "callbacks.ledger.enabled=true",
				"management.endpoints.web.exposure.include=llmusage", "spring.ai.model.chat=none",
				"spring.ai.model.embedding=none", "spring.ai.model.image=none", "spring.ai.model.audio.speech=none",
				"spring.ai.model.audio.transcription=none", "spring.ai.model.moderation=none" })
@AutoConfigureWebTestClient
class LlmUsageEndpointWebTests {

	@Autowired
	private WebTestClient webTestClient;

	@Autowired
	private UsageLedgerRecorder recorder;

	@Test
	void totalsByTenant() {
		Instant at = Instant.parse("2025-06-03T10:00:00Z");
		this.recorder.onLlmRun(LlmRuns.run(at, "42", "acme", "7", TokenUsage.of(100, 20), new BigDecimal("0.000027")));
		this.recorder.onLlmRun(LlmRuns.run(at, "43", "acme", "8", TokenUsage.of(50, 10), new BigDecimal("0.0000135")));
		this.recorder.onLlmRun(LlmRuns.run(at, "44", "globex", "9", TokenUsage.of(10, 1), null));
		assertThat(this.recorder.flush(Duration.ofSeconds(30))).isTrue();

		this.webTestClient.get()
			.uri("/actuator/llmusage?groupBy=tenant&from=2025-06-01T00:00:00Z&to=2025-06-08T00:00:00Z")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.from")
			.isEqualTo("2025-06-01T00:00:00Z")
			.jsonPath("$.groupBy[0]")
			.isEqualTo("tenant")
			.jsonPath("$.totals.length()")
			.isEqualTo(2)
			.jsonPath("$.totals[0].group.tenant")
			.isEqualTo("acme")
			.jsonPath("$.totals[0].requests")
			.isEqualTo(2)
			.jsonPath("$.totals[0].inputTokens")
			.isEqualTo(150)
			.jsonPath("$.totals[0].outputTokens")
			.isEqualTo(30)
			.jsonPath("$.totals[0].cost")
			.isEqualTo(0.0000405)
			.jsonPath("$.totals[1].group.tenant")
			.isEqualTo("globex")
			.jsonPath("$.totals[1].unpricedRequests")
			.isEqualTo(1);

		// The question: what did acme's user 42 spend in conversation 7 that
		// week?
		this.webTestClient.get()
			.uri("/actuator/llmusage?tenant=acme&user=42&conversation=7&from=2025-06-01T00:00:00Z&to=2025-06-08T00:00:00Z")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.totals.length()")
			.isEqualTo(1)
			.jsonPath("$.totals[0].totalTokens")
			.isEqualTo(120)
			.jsonPath("$.totals[0].cost")
			.isEqualTo(0.000027);
	}

	@Test
	void badInputIsABadRequestThatSaysWhy() {
		this.webTestClient.get()
			.uri("/actuator/llmusage?groupBy=tenant&from=last-week")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(400)
			.jsonPath("$.message")
			.isEqualTo("'from' must be an ISO-8601 instant such as 2025-06-01T00:00:00Z, but was 'last-week'");
		this.webTestClient.get().uri("/actuator/llmusage?groupBy=customer").exchange().expectStatus().isBadRequest();
		this.webTestClient.get()
			.uri("/actuator/llmusage?from=2025-06-08T00:00:00Z&to=2025-06-01T00:00:00Z")
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
