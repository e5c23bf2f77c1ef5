package dev.callbacks.ai;

import java.util.Locale;
import java.util.Optional;

import dev.callbacks.LlmRunRecord;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.aop.support.AopUtils;

/**
 * Names the provider of a round from Spring AI's own classes: the model's (when the round
 * is seen at the model) or the request options' module, such as {@code openai} for
 * {@code org.springframework.ai.openai.OpenAiChatModel}.
 */
final class Providers {

	private static final String SPRING_AI = "org.springframework.ai.";

	// Once per class, not per round: the name is cut out of the class name with two
	// substrings.
	private static final ClassValue<Optional<String>> PROVIDERS = new ClassValue<>() {
		@Override
		protected Optional<String> computeValue(Class<?> type) {
			return Optional.ofNullable(providerOf(type));
		}
	};

	private Providers() {
	}

	/** The provider of a round of {@code model} (if known) for {@code prompt}. */
	static String of(@Nullable Object model, Prompt prompt) {
		String provider = (model != null) ? fromClass(AopUtils.getTargetClass(model)) : null;
		if (provider == null) {
			ChatOptions options = prompt.getOptions();
			provider = (options != null) ? fromClass(options.getClass()) : null;
		}
		return (provider != null) ? provider : LlmRunRecord.UNKNOWN_PROVIDER;
	}

	/** The provider of a call of {@code model} (an embedding model, ...), if known. */
	static String ofModel(Object model) {
		String provider = fromClass(AopUtils.getTargetClass(model));
		return (provider != null) ? provider : LlmRunRecord.UNKNOWN_PROVIDER;
	}

	private static @Nullable String fromClass(Class<?> type) {
		return PROVIDERS.get(type).orElse(null);
	}

	// org.springframework.ai.<module>.… → <module>; Spring AI's own generic classes
	// (chat, model, tool) say nothing about the provider.
	private static @Nullable String providerOf(Class<?> type) {
		String name = type.getName();
		if (!name.startsWith(SPRING_AI)) {
			return null;
		}
		String rest = name.substring(SPRING_AI.length());
		int dot = rest.indexOf('.');
		String module = (dot > 0) ? rest.substring(0, dot) : rest;
		// The same names as the usage readers' (Spring AI's own names for the providers).
		return switch (module) {
			case "chat", "model", "tool", "support", "util", "embedding", "vectorstore" -> null;
			case "google" -> "google_genai";
			case "bedrock" -> "bedrock_converse";
			case "mistralai" -> "mistral_ai";
			default -> module.toLowerCase(Locale.ROOT);
		};
	}

}
