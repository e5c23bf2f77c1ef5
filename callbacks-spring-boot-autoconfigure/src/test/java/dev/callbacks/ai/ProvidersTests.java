package dev.callbacks.ai;

import dev.callbacks.LlmRunRecord;
import dev.callbacks.ai.usage.ProviderUsage;
import org.junit.jupiter.api.Test;

import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.google.genai.GoogleGenAiChatOptions;
import org.springframework.ai.ollama.api.OllamaChatOptions;
import org.springframework.ai.openai.OpenAiChatOptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LLM runs name their provider from Spring AI's classes, in the same words as the usage
 * readers (and so the meters' bounded set).
 */
class ProvidersTests {

	@Test
	void providersAreNamedFromTheRequestOptionsInTheReadersWords() {
		assertThat(Providers.of(null, prompt(OpenAiChatOptions.builder().build()))).isEqualTo("openai");
		assertThat(Providers.of(null, prompt(AnthropicChatOptions.builder().build()))).isEqualTo("anthropic");
		assertThat(Providers.of(null, prompt(GoogleGenAiChatOptions.builder().build()))).isEqualTo("google_genai");
		assertThat(Providers.of(null, prompt(OllamaChatOptions.builder().build()))).isEqualTo("ollama");
		assertThat(ProviderUsage.PROVIDERS).contains("openai", "anthropic", "google_genai", "ollama");
	}

	@Test
	void theModelNamesItsProviderBeforeTheOptionsAndGenericClassesNameNone() {
		assertThat(Providers.of(new Object(), prompt(ChatOptions.builder().build())))
			.isEqualTo(LlmRunRecord.UNKNOWN_PROVIDER);
		assertThat(Providers.of(null, new Prompt("x"))).isEqualTo(LlmRunRecord.UNKNOWN_PROVIDER);
	}

	private static Prompt prompt(ChatOptions options) {
		return new Prompt("x", options);
	}

}
