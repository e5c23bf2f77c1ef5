package dev.callbacks.usage;

/**
 * Tokens of one LLM run, or of several summed, in one definition for every provider: what
 * the provider bills, whatever its own field names exclude.
 *
 * @param promptTokens every input token the provider processed: new ones, cache reads and
 * cache writes
 * @param completionTokens every billed output token, reasoning ("thinking") included
 * @param totalTokens {@code promptTokens + completionTokens}
 * @param cachedPromptTokens the part of {@code promptTokens} read from the provider's
 * prompt cache
 * @param cacheWriteTokens the part of {@code promptTokens} written to the provider's
 * prompt cache
 * @param cacheWrite1hTokens the part of {@code cacheWriteTokens} written with a one-hour
 * time to live (billed higher than the default five minutes), where the provider reports
 * it
 * @param reasoningTokens the part of {@code completionTokens} spent on reasoning
 * @param estimated {@code true} when counted with a tokenizer because the provider
 * reported nothing
 */
public record TokenUsage(long promptTokens, long completionTokens, long totalTokens, long cachedPromptTokens,
		long cacheWriteTokens, long cacheWrite1hTokens, long reasoningTokens, boolean estimated) {

	/** No tokens. */
	public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, 0, 0, 0, 0, false);

	public TokenUsage {
		if (promptTokens < 0 || completionTokens < 0 || totalTokens < 0 || cachedPromptTokens < 0
				|| cacheWriteTokens < 0 || cacheWrite1hTokens < 0 || reasoningTokens < 0) {
			throw new IllegalArgumentException("token counts must not be negative: prompt=" + promptTokens
					+ ", completion=" + completionTokens + ", total=" + totalTokens + ", cached=" + cachedPromptTokens
					+ ", cacheWrite=" + cacheWriteTokens + ", cacheWrite1h=" + cacheWrite1hTokens + ", reasoning="
					+ reasoningTokens);
		}
	}

	/** A usage without cache writes (the shape of the first release). */
	public TokenUsage(long promptTokens, long completionTokens, long totalTokens, long cachedPromptTokens,
			long reasoningTokens, boolean estimated) {
		this(promptTokens, completionTokens, totalTokens, cachedPromptTokens, 0, 0, reasoningTokens, estimated);
	}

	/** Prompt and completion tokens as reported, total = prompt + completion. */
	public static TokenUsage of(long promptTokens, long completionTokens) {
		return new TokenUsage(promptTokens, completionTokens, promptTokens + completionTokens, 0, 0, 0, 0, false);
	}

	/** The sum of this and {@code other}; estimated if either is. */
	public TokenUsage plus(TokenUsage other) {
		return new TokenUsage(this.promptTokens + other.promptTokens, this.completionTokens + other.completionTokens,
				this.totalTokens + other.totalTokens, this.cachedPromptTokens + other.cachedPromptTokens,
				this.cacheWriteTokens + other.cacheWriteTokens, this.cacheWrite1hTokens + other.cacheWrite1hTokens,
				this.reasoningTokens + other.reasoningTokens, this.estimated || other.estimated);
	}

	/** Whether no token was counted. */
	public boolean isEmpty() {
		return this.promptTokens == 0 && this.completionTokens == 0 && this.totalTokens == 0;
	}

}
