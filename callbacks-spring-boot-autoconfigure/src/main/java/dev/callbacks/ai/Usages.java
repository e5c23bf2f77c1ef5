package dev.callbacks.ai;

import dev.callbacks.ai.usage.ProviderUsage;
import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;

/**
 * Reads a {@link TokenUsage} from a Spring AI response, in the starter's one definition
 * whatever the provider: see {@link ProviderUsage} for the readers.
 */
public final class Usages {

	private Usages() {
	}

	/**
	 * The usage a response reports, or {@code null} when it reports none (or only zeros,
	 * or an unusable report).
	 */
	public static @Nullable TokenUsage from(@Nullable ChatResponse response) {
		return ProviderUsage.read(response, null);
	}

	/**
	 * The usage a response to a request with {@code requestOptions} reports: the options
	 * fill in what some reports leave out (the cache time to live of an Anthropic
	 * stream).
	 */
	public static @Nullable TokenUsage from(@Nullable ChatResponse response, @Nullable ChatOptions requestOptions) {
		return ProviderUsage.read(response, requestOptions);
	}

}
