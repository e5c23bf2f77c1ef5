package dev.callbacks.metrics;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.callbacks.LlmRunRecord;
import dev.callbacks.event.RunIdentity;
import dev.callbacks.usage.TokenUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cache reads, cache writes and reasoning become visible without changing what
 * {@code llm.tokens} adds up to.
 */
class TokenDetailMetersTests {

	private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

	private final MicrometerCallbackObserver observer = new MicrometerCallbackObserver(this.registry);

	@Test
	void llmTokensStillSumToTheTotalAndTheDetailsCountTheParts() {
		// 1,800 read + 29 new; 120 output of which 80 reasoning
		TokenUsage read = new TokenUsage(1_829, 120, 1_949, 1_800, 0, 0, 80, false);
		// 1,200 written (200 of them for an hour) + 30 new; 10 output
		TokenUsage written = new TokenUsage(1_230, 10, 1_240, 0, 1_200, 200, 0, false);
		this.observer.onLlmRun(run("claude-sonnet-4-5", read));
		this.observer.onLlmRun(run("claude-sonnet-4-5", written));

		assertThat(sum(LlmMeters.TOKENS, "claude-sonnet-4-5")).isEqualTo(1_949 + 1_240);
		assertThat(tokens("claude-sonnet-4-5", LlmMeters.TYPE_INPUT)).isEqualTo(1_829 + 1_230);
		assertThat(tokens("claude-sonnet-4-5", LlmMeters.TYPE_OUTPUT)).isEqualTo(130);
		assertThat(detail("claude-sonnet-4-5", LlmMeters.TYPE_CACHE_READ)).isEqualTo(1_800);
		assertThat(detail("claude-sonnet-4-5", LlmMeters.TYPE_CACHE_WRITE)).isEqualTo(1_200);
		assertThat(detail("claude-sonnet-4-5", LlmMeters.TYPE_REASONING)).isEqualTo(80);
	}

	@Test
	void aModelWithoutCacheOrReasoningHasNoDetailSeries() {
		this.observer.onLlmRun(run("gpt-4o-mini", TokenUsage.of(12, 40)));
		assertThat(sum(LlmMeters.TOKENS, "gpt-4o-mini")).isEqualTo(52);
		assertThat(Search.in(this.registry).name(LlmMeters.TOKENS_DETAIL).meters()).isEmpty();
	}

	@Test
	void thePrometheusScrapeShowsTheDetailsBesideTheTokens() {
		this.observer.onLlmRun(run("gemini-2.5-pro", new TokenUsage(5_000, 700, 5_700, 4_000, 0, 0, 600, false)));
		String scrape = this.registry.scrape();
		assertThat(scrape)
			.contains("llm_tokens_total{client=\"chat_client\",model=\"gemini-2.5-pro\",type=\"input\"} 5000.0")
			.contains("llm_tokens_total{client=\"chat_client\",model=\"gemini-2.5-pro\",type=\"output\"} 700.0")
			.contains("llm_tokens_detail_total{client=\"chat_client\",model=\"gemini-2.5-pro\",type=\"cache_read\"} "
					+ "4000.0")
			.contains("llm_tokens_detail_total{client=\"chat_client\",model=\"gemini-2.5-pro\",type=\"reasoning\"} "
					+ "600.0")
			.doesNotContain("type=\"cache_write\"");
		// summing llm_tokens_total over the types still gives the total
		double sum = scrape.lines()
			.filter(line -> line.startsWith("llm_tokens_total{"))
			.mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
		assertThat(sum).isEqualTo(5_700.0);
	}

	private double sum(String name, String model) {
		return Search.in(this.registry)
			.name(name)
			.tag(LlmMeters.TAG_MODEL, model)
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

	private double tokens(String model, String type) {
		return counter(LlmMeters.TOKENS, model, type);
	}

	private double detail(String model, String type) {
		return counter(LlmMeters.TOKENS_DETAIL, model, type);
	}

	private double counter(String name, String model, String type) {
		Counter counter = Search.in(this.registry)
			.name(name)
			.tag(LlmMeters.TAG_MODEL, model)
			.tag(LlmMeters.TAG_TYPE, type)
			.counter();
		assertThat(counter).as(name + " " + model + " " + type).isNotNull();
		return counter.count();
	}

	private static LlmRunRecord run(String model, TokenUsage usage) {
		return new LlmRunRecord(UUID.randomUUID(), UUID.randomUUID(), Instant.now(), "chat_client", "anthropic", model,
				usage, BigDecimal.ONE, LlmRunRecord.Outcome.SUCCESS, false, 1_000, -1, RunIdentity.NONE, List.of(),
				Map.of());
	}

}
