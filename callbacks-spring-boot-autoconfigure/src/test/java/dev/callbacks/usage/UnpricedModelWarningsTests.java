package dev.callbacks.usage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Unknown model names must not flood the log; time is a fake clock here. */
@ExtendWith(OutputCaptureExtension.class)
class UnpricedModelWarningsTests {

	private static final Duration INTERVAL = Duration.ofMinutes(5);

	private final AtomicLong now = new AtomicLong(1_000);

	private final UnpricedModelWarnings warnings = new UnpricedModelWarnings(this.now::get, INTERVAL);

	@Test
	void aThousandDistinctNamesMakeOneLineThenOneSummaryPerInterval() {
		List<String> lines = new ArrayList<>();
		for (int i = 0; i < 1_000; i++) {
			record(lines, "user-model-" + i);
		}
		assertThat(lines).singleElement()
			.asString()
			.startsWith("No price for model 'user-model-0': its tokens are counted but cost nothing.")
			.contains("callbacks.pricing.models.[user-model-0].prompt")
			.contains("at most once every 5 minutes");

		// the same names again within the interval: nothing
		for (int i = 0; i < 1_000; i++) {
			record(lines, "user-model-" + i);
		}
		assertThat(lines).hasSize(1);

		// a minute short of the interval: still nothing
		this.now.addAndGet(INTERVAL.minusMinutes(1).toNanos());
		record(lines, "user-model-1000");
		assertThat(lines).hasSize(1);

		// after the interval, the next unpriced use reports the others, once
		this.now.addAndGet(Duration.ofMinutes(1).toNanos());
		record(lines, "user-model-5");
		assertThat(lines).hasSize(2);
		assertThat(lines.get(1)).startsWith("No price for 1000 models seen since the last such warning")
			.contains("'user-model-1', 'user-model-2', 'user-model-3'");
		record(lines, "user-model-6");
		assertThat(lines).hasSize(2);

		// a new name after another interval is named, with nothing else to report
		this.now.addAndGet(INTERVAL.toNanos());
		record(lines, "shop-llm-13b");
		assertThat(lines).hasSize(3);
		assertThat(lines.get(2)).startsWith("No price for model 'shop-llm-13b': ");
	}

	@Test
	void aNewNameAfterTheIntervalIsNamedTogetherWithTheCount() {
		assertThat(this.warnings.onUnpriced("a")).isNotNull();
		assertThat(this.warnings.onUnpriced("b")).isNull();
		assertThat(this.warnings.onUnpriced("c")).isNull();
		this.now.addAndGet(INTERVAL.toNanos());
		assertThat(this.warnings.onUnpriced("d"))
			.startsWith("No price for model 'd' nor for 2 other models seen since the last such warning (for example "
					+ "'b', 'c')");
	}

	@Test
	void namesAreKeptToOneShortLine() {
		String line = this.warnings.onUnpriced("evil\nINFO fake log line" + "x".repeat(500));
		assertThat(line).doesNotContain("\n").contains("evil?INFO fake log line").contains("...'");
		assertThat(line.length()).isLessThan(600);
	}

	@Test
	void modelPricesLogAtMostOneLineForAThousandUnknownModels(CapturedOutput output) {
		ModelPrices prices = ModelPrices.of(Map.of()).withWarnings(this.warnings);
		for (int i = 0; i < 1_000; i++) {
			assertThat(prices.cost("tenant-model-" + i, TokenUsage.of(10, 5))).isNull();
		}
		assertThat(output.getAll().split("No price for", -1)).hasSize(2);
		assertThat(output.getAll()).contains("No price for model 'tenant-model-0'");
	}

	@Test
	void emptyUsageIsNotWarnedAbout(CapturedOutput output) {
		ModelPrices prices = ModelPrices.of(Map.of()).withWarnings(this.warnings);
		assertThat(prices.cost("failed-before-answering", TokenUsage.ZERO)).isNull();
		assertThat(output.getAll()).doesNotContain("No price for");
		// so the first real unpriced model is still named at once
		assertThat(this.warnings.onUnpriced("next")).startsWith("No price for model 'next'");
	}

	private void record(List<String> lines, String model) {
		String line = this.warnings.onUnpriced(model);
		if (line != null) {
			lines.add(line);
		}
	}

}
