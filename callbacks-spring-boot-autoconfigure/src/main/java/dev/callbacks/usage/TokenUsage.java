package dev.callbacks.usage;

/**
 * Tokens of one LLM run, or of several summed.
 *
 * @param promptTokens tokens sent to the model (input), cached ones included
 * @param completionTokens tokens the model generated (output), reasoning ones included
 * @param totalTokens as the provider reported it; normally prompt + completion
 * @param cachedPromptTokens the part of {@code promptTokens} read from the provider's
 * prompt cache
 * @param reasoningTokens the part of {@code completionTokens} spent on reasoning
 * @param estimated {@code true} when counted with a tokenizer because the provider
 * reported nothing
 */
public record TokenUsage(long promptTokens, long completionTokens, long totalTokens, long cachedPromptTokens,
		long reasoningTokens, boolean estimated) {

	/** No tokens. */
	public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, 0, 0, false);

	public TokenUsage {
		if (promptTokens < 0 || completionTokens < 0 || totalTokens < 0 || cachedPromptTokens < 0
				|| reasoningTokens < 0) {
			throw new IllegalArgumentException("token counts must not be negative: prompt=" + promptTokens
					+ ", completion=" + completionTokens + ", total=" + totalTokens + ", cached=" + cachedPromptTokens
					+ ", reasoning=" + reasoningTokens);
		}
	}

	/** Prompt and completion tokens as reported, total = prompt + completion. */
	public static TokenUsage of(long promptTokens, long completionTokens) {
		return new TokenUsage(promptTokens, completionTokens, promptTokens + completionTokens, 0, 0, false);
	}

	/** The sum of this and {@code other}; estimated if either is. */
	public TokenUsage plus(TokenUsage other) {
		return new TokenUsage(this.promptTokens + other.promptTokens, this.completionTokens + other.completionTokens,
				this.totalTokens + other.totalTokens, this.cachedPromptTokens + other.cachedPromptTokens,
				this.reasoningTokens + other.reasoningTokens, this.estimated || other.estimated);
	}

	/** Whether no token was counted. */
	public boolean isEmpty() {
		return this.promptTokens == 0 && this.completionTokens == 0 && this.totalTokens == 0;
	}

}
