package dev.callbacks.test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.callbacks.UsageTracker;
import dev.callbacks.autoconfigure.CallbacksAutoConfiguration;
import dev.callbacks.event.LlmEndEvent;
import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration;
import org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Boot context with one provider's real Spring AI auto-configuration, Spring
 * AI's tool calling and chat client, and the callbacks, with a {@link RecordingHandler}
 * as global handler: what an application with that provider's starter and ours gets.
 */
public final class ProviderContext {

	private ProviderContext() {
	}

	/**
	 * A runner for {@code providerAutoConfiguration} with {@code properties}.
	 */
	public static ApplicationContextRunner runner(Class<?> providerAutoConfiguration, String... properties) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(providerAutoConfiguration, ToolCallingAutoConfiguration.class,
					ChatClientAutoConfiguration.class, CallbacksAutoConfiguration.class))
			.withBean("recordingHandler", RecordingHandler.class)
			.withPropertyValues(properties);
	}

	/**
	 * {@code runner} with {@code callbacks.pricing.models.[model].*} set to the given
	 * USD-per-million prices; {@code null} leaves a price out. Set as a property source,
	 * not as {@code key=value} strings, because a model name may contain a colon
	 * ({@code qwen3:4b}), which {@code withPropertyValues} would take for the separator.
	 */
	public static ApplicationContextRunner withPrices(ApplicationContextRunner runner, String model, String prompt,
			String completion, @Nullable String cachedPrompt, @Nullable String cacheWrite,
			@Nullable String cacheWrite1h) {
		String prefix = "callbacks.pricing.models.[" + model + "].";
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put(prefix + "prompt", prompt);
		properties.put(prefix + "completion", completion);
		if (cachedPrompt != null) {
			properties.put(prefix + "cached-prompt", cachedPrompt);
		}
		if (cacheWrite != null) {
			properties.put(prefix + "cache-write", cacheWrite);
		}
		if (cacheWrite1h != null) {
			properties.put(prefix + "cache-write-1h", cacheWrite1h);
		}
		return runner.withInitializer(context -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("prices", properties)));
	}

	/**
	 * Runs {@code exchange} on the context's auto-configured {@code ChatClient} inside a
	 * fresh tracker, and hands the tracker and the recorded events to {@code checks}.
	 */
	public static void track(AssertableApplicationContext context, Function<ChatClient, ?> exchange,
			Consumer<Tracked> checks) {
		assertThat(context).hasNotFailed();
		ChatClient client = context.getBean(ChatClient.Builder.class).build();
		RecordingHandler handler = context.getBean(RecordingHandler.class);
		try (UsageTracker usage = UsageTracker.start()) {
			exchange.apply(client);
			checks.accept(new Tracked(usage, handler));
		}
	}

	/** A streamed exchange's text, waiting at most ten seconds. */
	public static String streamed(ChatClient.ChatClientRequestSpec request) {
		List<String> tokens = request.stream().content().collectList().block(Duration.ofSeconds(10));
		return String.join("", (tokens != null) ? tokens : List.of());
	}

	/**
	 * What one exchange left: its tracker and the events of the global handler.
	 *
	 * @param usage the tracker
	 * @param handler the recording global handler
	 */
	public record Tracked(UsageTracker usage, RecordingHandler handler) {

		/** The usage of each LLM run, in order. */
		public List<TokenUsage> runUsages() {
			return this.handler.events(LlmEndEvent.class).stream().map(LlmEndEvent::usage).toList();
		}

		/** The answering model of each LLM run, in order. */
		public List<String> runModels() {
			return this.handler.events(LlmEndEvent.class).stream().map(LlmEndEvent::model).toList();
		}

	}

}
