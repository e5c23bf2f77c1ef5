package dev.callbacks.ai.usage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

import dev.callbacks.usage.TokenUsage;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The readers load no provider class that is absent: an application with only one model
 * starter (or none) reads usage as before.
 */
class OptionalProvidersTests {

	private static final List<String> ABSENT = List.of("com.openai.", "com.anthropic.", "com.google.genai.",
			"org.springframework.ai.openai.", "org.springframework.ai.anthropic.",
			"org.springframework.ai.google.genai.");

	@Test
	void usageIsReadWithoutAnyProviderOnTheClassPath() throws Exception {
		ClassLoader withoutProviders = new WithoutProviders(getClass().getClassLoader());
		Class<?> providerUsage = withoutProviders.loadClass(ProviderUsage.class.getName());
		assertThat(providerUsage.getClassLoader()).isSameAs(withoutProviders);
		Method read = providerUsage.getMethod("read", ChatResponse.class, ChatOptions.class);

		ChatResponse ollama = response(new DefaultUsage(26, 12), Map.of("eval-count", 12));
		ChatResponse deepSeekShaped = response(
				new DefaultUsage(1100, 40, 1140, Map.of("prompt_tokens_details", Map.of("cached_tokens", 1024))),
				Map.of());

		assertThat(read.invoke(null, ollama, null)).isEqualTo(TokenUsage.of(26, 12));
		assertThat(read.invoke(null, deepSeekShaped, null))
			.isEqualTo(new TokenUsage(1100, 40, 1140, 1024, 0, 0, 0, false));
	}

	private static ChatResponse response(DefaultUsage usage, Map<String, Object> keyValues) {
		ChatResponseMetadata.Builder metadata = ChatResponseMetadata.builder().model("m").usage(usage);
		keyValues.forEach(metadata::keyValue);
		return new ChatResponse(List.of(new Generation(new AssistantMessage("hi"))), metadata.build());
	}

	/**
	 * Defines the readers' package itself, hides the providers' classes, and leaves the
	 * rest (Spring AI's model API, the usage types) to the parent, so that both sides
	 * share them.
	 */
	private static final class WithoutProviders extends ClassLoader {

		private static final String READERS = ProviderUsage.class.getPackageName() + ".";

		WithoutProviders(ClassLoader parent) {
			super(parent);
		}

		@Override
		protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
			synchronized (getClassLoadingLock(name)) {
				if (ABSENT.stream().anyMatch(name::startsWith)) {
					throw new ClassNotFoundException(name + " is hidden by the test");
				}
				if (!name.startsWith(READERS) || name.endsWith("Tests") || name.contains("Tests$")) {
					return super.loadClass(name, resolve);
				}
				Class<?> loaded = findLoadedClass(name);
				if (loaded == null) {
					loaded = define(name);
				}
				if (resolve) {
					resolveClass(loaded);
				}
				return loaded;
			}
		}

		private Class<?> define(String name) throws ClassNotFoundException {
			try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
				if (in == null) {
					throw new ClassNotFoundException(name);
				}
				byte[] bytes = in.readAllBytes();
				return defineClass(name, bytes, 0, bytes.length);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
