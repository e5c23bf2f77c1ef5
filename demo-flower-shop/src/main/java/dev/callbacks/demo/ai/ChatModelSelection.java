package dev.callbacks.demo.ai;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.ai.model.SpringAIModelProperties;
import org.springframework.ai.model.SpringAIModels;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Chooses the chat model before auto-configuration runs: Spring AI's OpenAI client when
 * an OpenAI API key or base URL is given ({@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL}
 * or the {@code spring.ai.openai.*} properties), else the offline flower-catalogue model.
 * It sets {@code spring.ai.model.chat}, which Spring AI 2.0 reads to pick the chat model;
 * a value set explicitly wins.
 * <p>
 * Without this, having {@code spring-ai-starter-model-openai} on the class path would
 * build an OpenAI client with no key and the first chat would fail with 401 instead of
 * working offline.
 */
public class ChatModelSelection implements EnvironmentPostProcessor, Ordered {

	/** The {@code spring.ai.model.chat} value of the offline model. */
	public static final String FLOWER_CATALOG = "flower-catalog";

	static final String PROPERTY_SOURCE_NAME = "flowerShopChatModelSelection";

	@Override
	public int getOrder() {
		// After application.properties and profiles are loaded, so their values count.
		return ConfigDataEnvironmentPostProcessor.ORDER + 1;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.containsProperty(SpringAIModelProperties.CHAT_MODEL)) {
			return;
		}
		boolean key = hasText(environment, "spring.ai.openai.api-key") || hasText(environment, "OPENAI_API_KEY");
		boolean baseUrl = hasText(environment, "spring.ai.openai.base-url") || hasText(environment, "OPENAI_BASE_URL");
		Map<String, Object> selection = new LinkedHashMap<>();
		if (key || baseUrl) {
			selection.put(SpringAIModelProperties.CHAT_MODEL, SpringAIModels.OPENAI);
			if (!key) {
				// A local server (Ollama, vLLM) needs no key: an empty one is Spring AI's
				// no-auth mode.
				selection.put("spring.ai.openai.api-key", "");
			}
		}
		else {
			selection.put(SpringAIModelProperties.CHAT_MODEL, FLOWER_CATALOG);
		}
		// Last: anything the user sets anywhere still wins.
		environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, selection));
	}

	private static boolean hasText(ConfigurableEnvironment environment, String name) {
		return StringUtils.hasText(environment.getProperty(name));
	}

}
