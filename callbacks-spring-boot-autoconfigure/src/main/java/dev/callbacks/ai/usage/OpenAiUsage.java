package dev.callbacks.ai.usage;

import com.openai.models.completions.CompletionUsage;
import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI Chat Completions (and Azure OpenAI / Microsoft Foundry, which Spring AI serves
 * with the same SDK): {@code prompt_tokens} already includes
 * {@code prompt_tokens_details.cached_tokens}, {@code completion_tokens} already includes
 * {@code completion_tokens_details.reasoning_tokens}, and {@code total_tokens} is their
 * sum, so the report is the definition as it stands.
 * <p>
 * Loaded only when the OpenAI SDK is on the class path.
 */
final class OpenAiUsage {

	static final String PROVIDER = "openai";

	private OpenAiUsage() {
	}

	static boolean handles(Object nativeUsage) {
		return nativeUsage instanceof CompletionUsage;
	}

	static @Nullable TokenUsage read(Object nativeUsage) {
		CompletionUsage usage = (CompletionUsage) nativeUsage;
		return new UsageReport(PROVIDER).prompt("prompt_tokens", usage.promptTokens())
			.completion("completion_tokens", usage.completionTokens())
			.cacheRead("prompt_tokens_details.cached_tokens",
					usage.promptTokensDetails().flatMap(details -> details.cachedTokens()).orElse(0L))
			.reasoning("completion_tokens_details.reasoning_tokens",
					usage.completionTokensDetails().flatMap(details -> details.reasoningTokens()).orElse(0L))
			.reportedTotal(usage.totalTokens())
			.toTokenUsage();
	}

}
