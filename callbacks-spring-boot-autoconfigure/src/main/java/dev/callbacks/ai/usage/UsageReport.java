package dev.callbacks.ai.usage;

import dev.callbacks.ai.usage.UsageAnomalies.Kind;
import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;

/**
 * One provider report, collected field by field as the provider names them, then turned
 * into a valid {@link TokenUsage} in the starter's definition: prompt and completion are
 * sums of the fields the provider bills as input and output; cache reads and writes and
 * reasoning are parts of them.
 * <p>
 * A report is never allowed to fail a chat. A negative whole (a term of prompt or
 * completion) makes the report unusable: {@link #toTokenUsage()} returns {@code null}, as
 * for a provider that reported nothing, so the round is estimated (and says so) instead
 * of being counted as 0 or as a made-up number. A negative part is taken as 0, a part
 * larger than its whole is capped, and the total is always prompt + completion; each
 * repair is recorded in {@link UsageAnomalies}.
 */
final class UsageReport {

	private final String provider;

	private long prompt;

	private long completion;

	private long cacheRead;

	private long cacheWrite;

	private long cacheWrite1h;

	private long reasoning;

	private long reportedTotal;

	private boolean totalReported;

	private @Nullable String negativeWhole;

	private @Nullable String negativePart;

	UsageReport(String provider) {
		this.provider = provider;
	}

	/** A term of the prompt (input) tokens, e.g. Anthropic's {@code input_tokens}. */
	UsageReport prompt(String field, long tokens) {
		if (tokens < 0) {
			negativeWhole(field, tokens);
		}
		else {
			this.prompt += tokens;
		}
		return this;
	}

	/** A term of the completion (output) tokens, e.g. Gemini's thoughts. */
	UsageReport completion(String field, long tokens) {
		if (tokens < 0) {
			negativeWhole(field, tokens);
		}
		else {
			this.completion += tokens;
		}
		return this;
	}

	/** Prompt tokens read from the cache (a part of the prompt). */
	UsageReport cacheRead(String field, long tokens) {
		this.cacheRead = part(field, tokens);
		return this;
	}

	/** Prompt tokens written to the cache (a part of the prompt). */
	UsageReport cacheWrite(String field, long tokens) {
		this.cacheWrite = part(field, tokens);
		return this;
	}

	/** Cache writes with a one-hour time to live (a part of the cache writes). */
	UsageReport cacheWrite1h(String field, long tokens) {
		this.cacheWrite1h = part(field, tokens);
		return this;
	}

	/** Completion tokens spent on reasoning (a part of the completion). */
	UsageReport reasoning(String field, long tokens) {
		this.reasoning = part(field, tokens);
		return this;
	}

	/**
	 * The total the provider itself reported, to be checked against prompt + completion;
	 * only for providers whose total is defined that way once normalised.
	 */
	UsageReport reportedTotal(long tokens) {
		this.reportedTotal = tokens;
		this.totalReported = true;
		return this;
	}

	/**
	 * The usage, or {@code null} when the report is unusable or reports nothing.
	 */
	@Nullable TokenUsage toTokenUsage() {
		if (this.negativeWhole != null) {
			UsageAnomalies.record(this.provider, Kind.NEGATIVE_COUNT, this.negativeWhole);
			return null;
		}
		if (this.negativePart != null) {
			UsageAnomalies.record(this.provider, Kind.NEGATIVE_PART, this.negativePart);
		}
		long cacheRead = this.cacheRead;
		long cacheWrite = this.cacheWrite;
		long cacheWrite1h = this.cacheWrite1h;
		long reasoning = this.reasoning;
		if (cacheRead + cacheWrite > this.prompt || cacheWrite1h > cacheWrite || reasoning > this.completion) {
			UsageAnomalies.record(this.provider, Kind.PART_EXCEEDS_WHOLE,
					"prompt=" + this.prompt + ", cacheRead=" + cacheRead + ", cacheWrite=" + cacheWrite
							+ ", cacheWrite1h=" + cacheWrite1h + ", completion=" + this.completion + ", reasoning="
							+ reasoning);
			cacheRead = Math.min(cacheRead, this.prompt);
			cacheWrite = Math.min(cacheWrite, this.prompt - cacheRead);
			cacheWrite1h = Math.min(cacheWrite1h, cacheWrite);
			reasoning = Math.min(reasoning, this.completion);
		}
		long total = this.prompt + this.completion;
		if (this.totalReported && this.reportedTotal != total) {
			UsageAnomalies.record(this.provider, Kind.TOTAL_MISMATCH,
					"total=" + this.reportedTotal + ", prompt=" + this.prompt + ", completion=" + this.completion);
		}
		if (total == 0) {
			return null;
		}
		return new TokenUsage(this.prompt, this.completion, total, cacheRead, cacheWrite, cacheWrite1h, reasoning,
				false);
	}

	private void negativeWhole(String field, long tokens) {
		if (this.negativeWhole == null) {
			this.negativeWhole = field + "=" + tokens;
		}
	}

	private long part(String field, long tokens) {
		if (tokens < 0) {
			if (this.negativePart == null) {
				this.negativePart = field + "=" + tokens;
			}
			return 0;
		}
		return tokens;
	}

}
