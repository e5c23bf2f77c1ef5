package dev.callbacks;

import java.math.BigDecimal;

import dev.callbacks.usage.TokenUsage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Embedding counts are kept apart from chat counts, in every enclosing tracker. */
class UsageTrackerEmbeddingTests {

	@Test
	void embeddingsCountApartFromChatInEveryEnclosingTracker() {
		try (UsageTracker outer = UsageTracker.start()) {
			UsageTracker inner = UsageTracker.start();
			try (inner) {
				inner.record("gpt-4o-mini", TokenUsage.of(100, 10), true, new BigDecimal("0.001"));
				inner.recordEmbedding("text-embedding-3-small", TokenUsage.of(50, 0), true, new BigDecimal("0.000001"));
				inner.recordEmbedding("text-embedding-3-small", TokenUsage.ZERO, false, BigDecimal.ZERO);
				inner.recordEmbedding("my-embedder", new TokenUsage(7, 0, 7, 0, 0, true), true, null);
			}
			for (UsageTracker tracker : new UsageTracker[] { inner, outer }) {
				assertThat(tracker.totalTokens()).isEqualTo(110);
				assertThat(tracker.promptTokens()).isEqualTo(100);
				assertThat(tracker.successfulRequests()).isEqualTo(1);
				assertThat(tracker.totalCost()).isEqualByComparingTo("0.001");
				assertThat(tracker.embeddingTokens()).isEqualTo(57);
				assertThat(tracker.embeddingRequests()).isEqualTo(2);
				assertThat(tracker.failedEmbeddingRequests()).isEqualTo(1);
				assertThat(tracker.embeddingTokensEstimated()).isTrue();
				assertThat(tracker.embeddingCost()).isEqualByComparingTo("0.000001");
				assertThat(tracker.overallCost()).isEqualByComparingTo("0.001001");
				assertThat(tracker.unpricedModels()).containsExactly("my-embedder");
				assertThat(tracker.byModel()).containsOnlyKeys("gpt-4o-mini");
			}
		}
	}

}
