package dev.callbacks.ai;

import java.util.Map;

import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.EmptyUsage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.util.ClassUtils;

/**
 * Reads a {@link TokenUsage} from a Spring AI response: prompt, completion and total from
 * {@link Usage}, cached prompt tokens from {@link Usage#getCacheReadInputTokens()}, and
 * reasoning tokens from the provider's native usage (the OpenAI SDK's
 * {@code CompletionUsage}, or a map with
 * {@code completion_tokens_details.reasoning_tokens}).
 */
public final class Usages {

	private static final boolean OPENAI_PRESENT = ClassUtils.isPresent("com.openai.models.completions.CompletionUsage",
			Usages.class.getClassLoader());

	private Usages() {
	}

	/**
	 * The usage a response reports, or {@code null} when it reports none (or only zeros).
	 */
	public static @Nullable TokenUsage from(@Nullable ChatResponse response) {
		if (response == null) {
			return null;
		}
		ChatResponseMetadata metadata = response.getMetadata();
		Usage usage = (metadata != null) ? metadata.getUsage() : null;
		if (usage == null || usage instanceof EmptyUsage) {
			return null;
		}
		long prompt = orZero(usage.getPromptTokens());
		long completion = orZero(usage.getCompletionTokens());
		Integer reportedTotal = usage.getTotalTokens();
		long total = (reportedTotal != null) ? reportedTotal : prompt + completion;
		if (prompt == 0 && completion == 0 && total == 0) {
			return null;
		}
		Long cached = usage.getCacheReadInputTokens();
		return new TokenUsage(prompt, completion, total, (cached != null) ? cached : 0,
				reasoningTokens(usage.getNativeUsage()), false);
	}

	private static long reasoningTokens(@Nullable Object nativeUsage) {
		if (nativeUsage == null) {
			return 0;
		}
		if (OPENAI_PRESENT) {
			Long openAi = OpenAi.reasoningTokens(nativeUsage);
			if (openAi != null) {
				return openAi;
			}
		}
		if (nativeUsage instanceof Map<?, ?> map && map.get("completion_tokens_details") instanceof Map<?, ?> details
				&& details.get("reasoning_tokens") instanceof Number number) {
			return number.longValue();
		}
		return 0;
	}

	private static long orZero(@Nullable Integer value) {
		return (value != null) ? value : 0;
	}

	// Loaded only when the OpenAI SDK is on the classpath.
	private static final class OpenAi {

		static @Nullable Long reasoningTokens(Object nativeUsage) {
			if (nativeUsage instanceof com.openai.models.completions.CompletionUsage usage) {
				return usage.completionTokensDetails().flatMap(details -> details.reasoningTokens()).orElse(0L);
			}
			return null;
		}

	}

}
