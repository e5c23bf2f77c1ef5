package dev.callbacks.demo.usage;

import java.math.BigDecimal;
import java.math.RoundingMode;

import dev.callbacks.usage.TokenUsage;
import dev.callbacks.UsageTracker;

/**
 * Tokens, model calls and cost of some LLM work, as the API returns them.
 *
 * @param promptTokens tokens sent to the model
 * @param completionTokens tokens the model generated
 * @param totalTokens prompt plus completion tokens, as reported
 * @param llmCalls model round trips (a tool call takes two)
 * @param cost USD, for priced models
 */
public record TokenCounts(long promptTokens, long completionTokens, long totalTokens, long llmCalls, BigDecimal cost) {

	/** Nothing counted. */
	public static final TokenCounts ZERO = new TokenCounts(0, 0, 0, 0, BigDecimal.ZERO);

	private static final int COST_SCALE = 8;

	/** What a tracker has counted so far. */
	public static TokenCounts of(UsageTracker tracker) {
		return new TokenCounts(tracker.promptTokens(), tracker.completionTokens(), tracker.totalTokens(),
				tracker.successfulRequests() + tracker.failedRequests(), scaled(tracker.totalCost()));
	}

	/** The tokens of some LLM runs and what they cost. */
	public static TokenCounts of(TokenUsage usage, long llmCalls, BigDecimal cost) {
		return new TokenCounts(usage.promptTokens(), usage.completionTokens(), usage.totalTokens(), llmCalls,
				scaled(cost));
	}

	/** The sum of this and {@code other}. */
	public TokenCounts plus(TokenCounts other) {
		return new TokenCounts(this.promptTokens + other.promptTokens, this.completionTokens + other.completionTokens,
				this.totalTokens + other.totalTokens, this.llmCalls + other.llmCalls, this.cost.add(other.cost));
	}

	static BigDecimal scaled(BigDecimal cost) {
		return cost.setScale(COST_SCALE, RoundingMode.HALF_UP).stripTrailingZeros();
	}

}
