package dev.callbacks.ai.usage;

import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.metadata.Usage;

/**
 * Amazon Bedrock Converse: like Anthropic's, {@code inputTokens} excludes
 * {@code cacheReadInputTokens} and {@code cacheWriteInputTokens}, which are billed input
 * on top of it. Spring AI 2.0.1 reports {@code inputTokens} as the prompt and the cache
 * counts through {@link Usage#getCacheReadInputTokens()} and
 * {@link Usage#getCacheWriteInputTokens()}, so no AWS class is needed: the SDK's
 * {@code TokenUsage} is recognised by name. Reasoning is not broken out of
 * {@code outputTokens}, and the one-hour share of writes ({@code cacheDetails}) is not
 * read: they count as five-minute writes.
 */
final class BedrockConverseUsage {

	static final String PROVIDER = "bedrock_converse";

	private static final String TOKEN_USAGE = "software.amazon.awssdk.services.bedrockruntime.model.TokenUsage";

	private BedrockConverseUsage() {
	}

	static boolean handles(Object nativeUsage) {
		return TOKEN_USAGE.equals(nativeUsage.getClass().getName());
	}

	static @Nullable TokenUsage read(Usage usage) {
		long cacheRead = orZero(usage.getCacheReadInputTokens());
		long cacheWrite = orZero(usage.getCacheWriteInputTokens());
		return new UsageReport(PROVIDER).prompt("inputTokens", orZero(usage.getPromptTokens()))
			.prompt("cacheReadInputTokens", cacheRead)
			.prompt("cacheWriteInputTokens", cacheWrite)
			.cacheRead("cacheReadInputTokens", cacheRead)
			.cacheWrite("cacheWriteInputTokens", cacheWrite)
			.completion("outputTokens", orZero(usage.getCompletionTokens()))
			.toTokenUsage();
	}

	private static long orZero(@Nullable Number value) {
		return (value != null) ? value.longValue() : 0;
	}

}
