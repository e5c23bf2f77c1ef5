package dev.callbacks.ai.usage;

import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.google.genai.metadata.GoogleGenAiUsage;

/**
 * Google Gemini (Gemini API and Vertex AI, through Spring AI's Google GenAI module):
 * {@code promptTokenCount} already includes {@code cachedContentTokenCount};
 * {@code candidatesTokenCount} excludes {@code thoughtsTokenCount}, which is billed as
 * output; {@code toolUsePromptTokenCount} (tool results fed back to the model) is input
 * outside {@code promptTokenCount}; {@code totalTokenCount} is the sum of prompt,
 * candidates, tool-use prompt and thoughts. So prompt = prompt + tool-use prompt,
 * completion = candidates + thoughts, reasoning = thoughts. Gemini charges context caches
 * by storage time, not per request, so there are no cache writes.
 * <p>
 * Spring AI 2.0.1 reports a {@link GoogleGenAiUsage} unless
 * {@code include-extended-usage-metadata} is false; then only prompt, candidates and
 * total are left (read as any other provider's, so the thoughts are missing from the
 * completion and the mismatching total is recorded as an anomaly).
 * <p>
 * Loaded only when Spring AI's Google GenAI module is on the class path.
 */
final class GeminiUsage {

	static final String PROVIDER = "google_genai";

	private GeminiUsage() {
	}

	static boolean handles(Usage usage) {
		return usage instanceof GoogleGenAiUsage;
	}

	static @Nullable TokenUsage read(Usage usage) {
		GoogleGenAiUsage gemini = (GoogleGenAiUsage) usage;
		long thoughts = orZero(gemini.getThoughtsTokenCount());
		return new UsageReport(PROVIDER).prompt("promptTokenCount", orZero(gemini.getPromptTokens()))
			.prompt("toolUsePromptTokenCount", orZero(gemini.getToolUsePromptTokenCount()))
			.cacheRead("cachedContentTokenCount", orZero(gemini.getCachedContentTokenCount()))
			.completion("candidatesTokenCount", orZero(gemini.getCompletionTokens()))
			.completion("thoughtsTokenCount", thoughts)
			.reasoning("thoughtsTokenCount", thoughts)
			.reportedTotal(orZero(gemini.getTotalTokens()))
			.toTokenUsage();
	}

	private static long orZero(@Nullable Integer value) {
		return (value != null) ? value : 0;
	}

}
