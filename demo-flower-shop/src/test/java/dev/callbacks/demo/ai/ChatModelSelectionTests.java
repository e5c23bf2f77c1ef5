package dev.callbacks.demo.ai;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.AbstractEnvironment;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ChatModelSelection}.
 */
class ChatModelSelectionTests {

	private final ChatModelSelection selection = new ChatModelSelection();

	@Test
	void offlineWithoutKeyOrBaseUrl() {
		ConfigurableEnvironment environment = environment(Map.of());

		this.selection.postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getProperty("spring.ai.model.chat")).isEqualTo("flower-catalog");
	}

	@Test
	void openAiWithAnApiKey() {
		ConfigurableEnvironment environment = environment(Map.of("OPENAI_API_KEY", "sk-test"));

		this.selection.postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getProperty("spring.ai.model.chat")).isEqualTo("openai");
		assertThat(environment.getProperty("spring.ai.openai.api-key")).isNull();
	}

	@Test
	void openAiWithABaseUrlAloneAndNoAuthentication() {
		ConfigurableEnvironment environment = environment(Map.of("OPENAI_BASE_URL", "http://localhost:11434/v1"));

		this.selection.postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getProperty("spring.ai.model.chat")).isEqualTo("openai");
		// Spring AI's no-auth mode, for Ollama and vLLM.
		assertThat(environment.getProperty("spring.ai.openai.api-key")).isEmpty();
	}

	@Test
	void springPropertiesCountToo() {
		ConfigurableEnvironment environment = environment(Map.of("spring.ai.openai.api-key", "sk-test"));

		this.selection.postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getProperty("spring.ai.model.chat")).isEqualTo("openai");
		assertThat(environment.getProperty("spring.ai.openai.api-key")).isEqualTo("sk-test");
	}

	@Test
	void anExplicitChoiceWins() {
		ConfigurableEnvironment environment = environment(
				Map.of("OPENAI_API_KEY", "sk-test", "spring.ai.model.chat", "flower-catalog"));

		this.selection.postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getProperty("spring.ai.model.chat")).isEqualTo("flower-catalog");
		assertThat(environment.getPropertySources().contains(ChatModelSelection.PROPERTY_SOURCE_NAME)).isFalse();
	}

	// Only the given properties: the environment variables of the build must not leak in.
	private static ConfigurableEnvironment environment(Map<String, Object> properties) {
		ConfigurableEnvironment environment = new AbstractEnvironment() {
		};
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		return environment;
	}

}
