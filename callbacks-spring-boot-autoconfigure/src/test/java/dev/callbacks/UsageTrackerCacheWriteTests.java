package dev.callbacks;

import java.math.BigDecimal;

import dev.callbacks.usage.TokenUsage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Trackers count cache writes like every other part of the usage. */
class UsageTrackerCacheWriteTests {

	@Test
	void cacheWritesAreCountedHereAndInEveryEnclosingTracker() {
		try (UsageTracker outer = UsageTracker.start(); UsageTracker inner = UsageTracker.start()) {
			inner.record("claude-sonnet-4-5", new TokenUsage(1_230, 10, 1_240, 0, 1_200, 200, 0, false), true,
					new BigDecimal("0.00504"));
			inner.record("claude-sonnet-4-5", new TokenUsage(1_829, 5, 1_834, 1_800, 0, 0, 0, false), true,
					new BigDecimal("0.000702"));
			assertThat(inner.cacheWriteTokens()).isEqualTo(1_200);
			assertThat(inner.cachedPromptTokens()).isEqualTo(1_800);
			assertThat(outer.cacheWriteTokens()).isEqualTo(1_200);
			assertThat(outer.byModel().get("claude-sonnet-4-5").cacheWrite1hTokens()).isEqualTo(200);
		}
	}

}
