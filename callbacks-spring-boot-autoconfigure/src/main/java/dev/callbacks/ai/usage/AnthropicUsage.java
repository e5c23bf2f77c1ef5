package dev.callbacks.ai.usage;

import java.util.Map;

import com.anthropic.core.JsonValue;
import com.anthropic.models.messages.CacheCreation;
import com.anthropic.models.messages.MessageDeltaUsage;
import com.anthropic.models.messages.OutputTokensDetails;
import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.metadata.Usage;

/**
 * Anthropic Messages API. {@code input_tokens} counts only the tokens after the last
 * cache breakpoint: cache reads ({@code cache_read_input_tokens}) and writes
 * ({@code cache_creation_input_tokens}) are billed input on top of it, so the prompt is
 * their sum. Writes are split by time to live in {@code cache_creation}
 * ({@code ephemeral_5m_input_tokens}, {@code ephemeral_1h_input_tokens}).
 * {@code output_tokens} includes thinking, broken out in
 * {@code output_tokens_details.thinking_tokens}.
 * <p>
 * Spring AI 2.0.1 reports the SDK's {@code Usage} for a call, and for a stream the
 * {@code message_delta} event's cumulative {@code MessageDeltaUsage} with the
 * {@code message_start} input count as its prompt. {@code message_delta} carries no
 * {@code cache_creation} split; the time to live then comes from the request's cache
 * options when they use one only (see {@link AnthropicRequestTtl}).
 * <p>
 * Loaded only when the Anthropic SDK is on the class path.
 */
final class AnthropicUsage {

	static final String PROVIDER = "anthropic";

	private AnthropicUsage() {
	}

	static boolean handles(Object nativeUsage) {
		return nativeUsage instanceof com.anthropic.models.messages.Usage || nativeUsage instanceof MessageDeltaUsage;
	}

	/**
	 * @param usage Spring AI's usage, whose prompt for a stream is the
	 * {@code message_start} input count
	 * @param writesAreOneHour whether the request's cache breakpoints all use the
	 * one-hour time to live, for reports that do not split writes by it
	 */
	static @Nullable TokenUsage read(Usage usage, Object nativeUsage, boolean writesAreOneHour) {
		UsageReport report = new UsageReport(PROVIDER);
		if (nativeUsage instanceof com.anthropic.models.messages.Usage message) {
			long cacheWrite = message.cacheCreationInputTokens().orElse(0L);
			report.prompt("input_tokens", message.inputTokens())
				.prompt("cache_read_input_tokens", message.cacheReadInputTokens().orElse(0L))
				.prompt("cache_creation_input_tokens", cacheWrite)
				.cacheRead("cache_read_input_tokens", message.cacheReadInputTokens().orElse(0L))
				.cacheWrite("cache_creation_input_tokens", cacheWrite)
				.cacheWrite1h("cache_creation.ephemeral_1h_input_tokens",
						message.cacheCreation()
							.map(CacheCreation::ephemeral1hInputTokens)
							.orElse(writesAreOneHour ? cacheWrite : 0L))
				.completion("output_tokens", message.outputTokens())
				.reasoning("output_tokens_details.thinking_tokens",
						thinking(message.outputTokensDetails().orElse(null)));
			return report.toTokenUsage();
		}
		MessageDeltaUsage delta = (MessageDeltaUsage) nativeUsage;
		// Cumulative counts; input_tokens may grow past message_start's with server
		// tools.
		long input = delta.inputTokens().orElse(orZero(usage.getPromptTokens()));
		long cacheRead = delta.cacheReadInputTokens().orElse(orZero(usage.getCacheReadInputTokens()));
		long cacheWrite = delta.cacheCreationInputTokens().orElse(orZero(usage.getCacheWriteInputTokens()));
		Long oneHour = oneHourWrites(delta._additionalProperties());
		report.prompt("input_tokens", input)
			.prompt("cache_read_input_tokens", cacheRead)
			.prompt("cache_creation_input_tokens", cacheWrite)
			.cacheRead("cache_read_input_tokens", cacheRead)
			.cacheWrite("cache_creation_input_tokens", cacheWrite)
			.cacheWrite1h("cache_creation.ephemeral_1h_input_tokens",
					(oneHour != null) ? oneHour : (writesAreOneHour ? cacheWrite : 0L))
			.completion("output_tokens", delta.outputTokens())
			.reasoning("output_tokens_details.thinking_tokens", thinking(delta.outputTokensDetails().orElse(null)));
		return report.toTokenUsage();
	}

	private static long thinking(@Nullable OutputTokensDetails details) {
		return (details != null) ? details.thinkingTokens() : 0;
	}

	// A cache_creation object in message_delta, should the API add one: the SDK keeps
	// fields it does not model as additional properties.
	private static @Nullable Long oneHourWrites(Map<String, JsonValue> additional) {
		JsonValue cacheCreation = additional.get("cache_creation");
		if (cacheCreation == null) {
			return null;
		}
		try {
			Object value = cacheCreation.convert(Map.class).get("ephemeral_1h_input_tokens");
			return (value instanceof Number number) ? number.longValue() : null;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private static long orZero(@Nullable Number value) {
		return (value != null) ? value.longValue() : 0;
	}

}
