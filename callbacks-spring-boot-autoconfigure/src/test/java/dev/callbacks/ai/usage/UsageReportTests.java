package dev.callbacks.ai.usage;

import dev.callbacks.ai.usage.UsageAnomalies.Kind;
import dev.callbacks.usage.TokenUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A provider's report always becomes a valid {@link TokenUsage} (or none), whatever it
 * says; what was repaired is counted and logged once. Each test uses a provider name of
 * its own, because the counts are process-wide.
 */
@ExtendWith(OutputCaptureExtension.class)
class UsageReportTests {

	@Test
	void wholesAreSumsOfTermsAndPartsArePartsOfThem() {
		TokenUsage usage = new UsageReport("report-sum").prompt("input_tokens", 29)
			.prompt("cache_read_input_tokens", 1800)
			.prompt("cache_creation_input_tokens", 1200)
			.cacheRead("cache_read_input_tokens", 1800)
			.cacheWrite("cache_creation_input_tokens", 1200)
			.cacheWrite1h("ephemeral_1h_input_tokens", 200)
			.completion("output_tokens", 112)
			.reasoning("thinking_tokens", 100)
			.toTokenUsage();

		assertThat(usage).isEqualTo(new TokenUsage(3029, 112, 3141, 1800, 1200, 200, 100, false));
		assertThat(UsageAnomalies.counts()).doesNotContainKey("report-sum");
	}

	@Test
	void aNegativeWholeMakesTheReportUnusable(CapturedOutput output) {
		TokenUsage usage = new UsageReport("report-negative").prompt("input_tokens", -1)
			.completion("output_tokens", 12)
			.toTokenUsage();

		assertThat(usage).isNull();
		assertThat(UsageAnomalies.count("report-negative", Kind.NEGATIVE_COUNT)).isOne();
		assertThat(output).contains("Provider 'report-negative' reported unusable token usage (input_tokens=-1)");
	}

	@Test
	void aNegativePartCountsAsZero() {
		TokenUsage usage = new UsageReport("report-negative-part").prompt("prompt_tokens", 100)
			.cacheRead("cached_tokens", -5)
			.completion("completion_tokens", 10)
			.reasoning("reasoning_tokens", -2)
			.toTokenUsage();

		assertThat(usage).isEqualTo(TokenUsage.of(100, 10));
		assertThat(UsageAnomalies.count("report-negative-part", Kind.NEGATIVE_PART)).isOne();
	}

	@Test
	void partsLargerThanTheirWholeAreCapped() {
		TokenUsage usage = new UsageReport("report-exceeds").prompt("promptTokenCount", 100)
			.cacheRead("cachedContentTokenCount", 80)
			.cacheWrite("cacheWriteInputTokens", 50)
			.cacheWrite1h("ephemeral_1h_input_tokens", 60)
			.completion("candidatesTokenCount", 10)
			.reasoning("reasoning_tokens", 15)
			.toTokenUsage();

		assertThat(usage).isEqualTo(new TokenUsage(100, 10, 110, 80, 20, 20, 10, false));
		assertThat(UsageAnomalies.count("report-exceeds", Kind.PART_EXCEEDS_WHOLE)).isOne();
	}

	@Test
	void theTotalIsAlwaysPromptPlusCompletion() {
		TokenUsage usage = new UsageReport("report-total").prompt("promptTokens", 24)
			.completion("completionTokens", 11)
			.reportedTotal(115)
			.toTokenUsage();

		assertThat(usage).isEqualTo(TokenUsage.of(24, 11));
		assertThat(UsageAnomalies.count("report-total", Kind.TOTAL_MISMATCH)).isOne();
	}

	@Test
	void aReportOfZerosIsNoReport() {
		assertThat(new UsageReport("report-zeros").prompt("prompt_tokens", 0)
			.completion("completion_tokens", 0)
			.reportedTotal(0)
			.toTokenUsage()).isNull();
		assertThat(UsageAnomalies.counts()).doesNotContainKey("report-zeros");
	}

	@Test
	void eachProviderAndKindIsLoggedOnceAndCountedEveryTime(CapturedOutput output) {
		for (int i = 0; i < 3; i++) {
			new UsageReport("report-once").prompt("input_tokens", -i - 1).toTokenUsage();
		}
		new UsageReport("report-once").prompt("prompt_tokens", 5).cacheRead("cached", -1).toTokenUsage();

		assertThat(UsageAnomalies.count("report-once", Kind.NEGATIVE_COUNT)).isEqualTo(3);
		assertThat(UsageAnomalies.count("report-once", Kind.NEGATIVE_PART)).isOne();
		assertThat(UsageAnomalies.counts().get("report-once")).containsEntry(Kind.NEGATIVE_COUNT, 3L)
			.containsEntry(Kind.NEGATIVE_PART, 1L)
			.containsEntry(Kind.TOTAL_MISMATCH, 0L);
		String log = output.getOut() + output.getErr();
		assertThat(log.split("Provider 'report-once'", -1)).as("one WARN per kind").hasSize(3);
		assertThat(log).contains("a prompt or completion count is negative")
			.contains("a cache or reasoning count is negative");
	}

}
