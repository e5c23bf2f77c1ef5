package dev.callbacks.ai.usage;

import java.util.List;

import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.EmptyUsage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.util.ClassUtils;

/**
 * Reads the {@link TokenUsage} of a Spring AI response with the reader of the provider
 * that produced it, recognised by its usage classes: OpenAI (and Azure OpenAI),
 * Anthropic, Google GenAI (Gemini), Amazon Bedrock Converse, DeepSeek, Mistral AI and
 * other OpenAI-shaped reports; anything else (Ollama among them) through Spring AI's
 * {@link Usage} as it stands. Provider classes are touched only when they are on the
 * class path.
 */
public final class ProviderUsage {

	/** The provider name when no reader recognises the report. */
	public static final String UNKNOWN = "unknown";

	private static final String OLLAMA = "ollama";

	/**
	 * The provider names the readers use (Spring AI's own names for them), for meter
	 * tags: a bounded set. Other Spring AI modules with an OpenAI-shaped usage record are
	 * named by their package.
	 */
	public static final List<String> PROVIDERS = List.of(OpenAiUsage.PROVIDER, AnthropicUsage.PROVIDER,
			GeminiUsage.PROVIDER, OLLAMA, BedrockConverseUsage.PROVIDER, "deepseek", "mistral_ai", UNKNOWN);

	private static final boolean OPENAI_PRESENT = isPresent("com.openai.models.completions.CompletionUsage");

	private static final boolean ANTHROPIC_PRESENT = isPresent("com.anthropic.models.messages.MessageDeltaUsage");

	private static final boolean ANTHROPIC_OPTIONS_PRESENT = isPresent(
			"org.springframework.ai.anthropic.AnthropicChatOptions");

	private static final boolean GOOGLE_GENAI_PRESENT = isPresent(
			"org.springframework.ai.google.genai.metadata.GoogleGenAiUsage");

	// A metadata key only Spring AI's Ollama model sets (Ollama's eval_count).
	private static final String OLLAMA_EVAL_COUNT = "eval-count";

	private ProviderUsage() {
	}

	/**
	 * The usage {@code response} reports, or {@code null} when it reports none (or only
	 * zeros), or when the report is unusable (see {@link UsageAnomalies}).
	 * @param requestOptions the options the request was sent with, for what a report
	 * leaves out (Anthropic streams: the cache time to live); may be {@code null}
	 */
	public static @Nullable TokenUsage read(@Nullable ChatResponse response, @Nullable ChatOptions requestOptions) {
		if (response == null) {
			return null;
		}
		ChatResponseMetadata metadata = response.getMetadata();
		Usage usage = (metadata != null) ? metadata.getUsage() : null;
		if (usage == null || usage instanceof EmptyUsage || reportsNothing(usage)) {
			// Most stream chunks: keep them cheap.
			return null;
		}
		if (GOOGLE_GENAI_PRESENT && GeminiUsage.handles(usage)) {
			return GeminiUsage.read(usage);
		}
		Object nativeUsage = usage.getNativeUsage();
		if (nativeUsage != null) {
			if (OPENAI_PRESENT && OpenAiUsage.handles(nativeUsage)) {
				return OpenAiUsage.read(nativeUsage);
			}
			if (ANTHROPIC_PRESENT && AnthropicUsage.handles(nativeUsage)) {
				boolean oneHour = ANTHROPIC_OPTIONS_PRESENT && requestOptions != null
						&& AnthropicRequestTtl.writesAreOneHour(requestOptions);
				return AnthropicUsage.read(usage, nativeUsage, oneHour);
			}
			if (BedrockConverseUsage.handles(nativeUsage)) {
				return BedrockConverseUsage.read(usage);
			}
			if (OpenAiCompatibleUsage.handles(nativeUsage)) {
				return OpenAiCompatibleUsage.read(usage, nativeUsage,
						OpenAiCompatibleUsage.provider(nativeUsage.getClass().getName(), providerOf(metadata)));
			}
		}
		return asReported(usage, providerOf(metadata));
	}

	// Spring AI's usage as it stands: prompt and completion as the totals, cache reads
	// and
	// writes as parts of the prompt.
	private static @Nullable TokenUsage asReported(Usage usage, String provider) {
		return new UsageReport(provider).prompt("promptTokens", orZero(usage.getPromptTokens()))
			.completion("completionTokens", orZero(usage.getCompletionTokens()))
			.cacheRead("cacheReadInputTokens", orZero(usage.getCacheReadInputTokens()))
			.cacheWrite("cacheWriteInputTokens", orZero(usage.getCacheWriteInputTokens()))
			.reportedTotal(orZero(usage.getTotalTokens()))
			.toTokenUsage();
	}

	private static boolean reportsNothing(Usage usage) {
		return orZero(usage.getPromptTokens()) == 0 && orZero(usage.getCompletionTokens()) == 0
				&& orZero(usage.getTotalTokens()) == 0 && orZero(usage.getCacheReadInputTokens()) == 0
				&& orZero(usage.getCacheWriteInputTokens()) == 0;
	}

	private static String providerOf(ChatResponseMetadata metadata) {
		// Ollama's usage carries no native object; its metadata gives it away.
		return metadata.containsKey(OLLAMA_EVAL_COUNT) ? OLLAMA : UNKNOWN;
	}

	private static long orZero(@Nullable Number value) {
		return (value != null) ? value.longValue() : 0;
	}

	private static boolean isPresent(String className) {
		return ClassUtils.isPresent(className, ProviderUsage.class.getClassLoader());
	}

}
