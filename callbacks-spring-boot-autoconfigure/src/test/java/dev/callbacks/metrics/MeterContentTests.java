package dev.callbacks.metrics;

import java.util.List;
import java.util.Set;

import dev.callbacks.CallbackHandler;
import dev.callbacks.CallbackManager;
import dev.callbacks.Callbacks;
import dev.callbacks.usage.ModelPrices;
import dev.callbacks.UsageTracker;
import dev.callbacks.ai.CallbackAdvisors;
import dev.callbacks.event.LlmEndEvent;
import dev.callbacks.test.ScriptedChatModel;
import dev.callbacks.test.ScriptedChatModel.Reply;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** What the meters may and may not contain. */
@ExtendWith(OutputCaptureExtension.class)
class MeterContentTests {

	private static final String PROMPT = "My sister Anna turns thirty tomorrow";

	@Test
	void noPromptOrCompletionTextInAnyTagAndOnlyTheDocumentedTagKeys() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		ScriptedChatModel model = new ScriptedChatModel()
			.respondWith(prompt -> Reply.tokens("Peonies", " for", " Anna").usage(9, 3).model("gpt-4o-mini"));
		CallbackHandler failing = new CallbackHandler() {
			@Override
			public void onLlmEnd(LlmEndEvent event) {
				throw new IllegalStateException(PROMPT);
			}
		};
		ChatClient client = ChatClient.builder(model)
			.defaultAdvisors(CallbackAdvisors
				.of(CallbackManager.builder().observers(List.of(new MicrometerCallbackObserver(registry))).build()))
			.defaultAdvisors(Callbacks.handlers(failing).metadata("note", PROMPT))
			.build();

		client.prompt(PROMPT).call().content();
		client.prompt(PROMPT).stream().content().blockLast();

		assertThat(registry.getMeters()).isNotEmpty().allSatisfy(meter -> {
			for (Tag tag : meter.getId().getTags()) {
				assertThat(Set.of("type", "model", "client", "outcome", "handler", "event")).contains(tag.getKey());
				assertThat(tag.getValue()).doesNotContain("Anna").doesNotContain("sister").doesNotContain("Peonies");
			}
		});
		assertThat(registry.getMeters()).extracting(Meter::getId)
			.extracting(Meter.Id::getName)
			.contains(LlmMeters.TOKENS, LlmMeters.REQUESTS, LlmMeters.COST, LlmMeters.TIME_TO_FIRST_TOKEN,
					LlmMeters.HANDLER_ERRORS);
	}

	@Test
	void anUnknownModelIsWarnedAboutOnceAndListedAsUnpriced(CapturedOutput output) {
		ScriptedChatModel model = new ScriptedChatModel()
			.respondWith(prompt -> Reply.text("ok").usage(5, 1).model("shop-llm-13b"));
		ChatClient client = ChatClient.builder(model)
			.defaultAdvisors(CallbackAdvisors.of(CallbackManager.builder()
				.prices(ModelPrices.defaults().with(java.util.Map.of()))
				.observers(List.of(new MicrometerCallbackObserver(new SimpleMeterRegistry())))
				.build()))
			.build();

		try (UsageTracker usage = UsageTracker.start()) {
			for (int i = 0; i < 3; i++) {
				client.prompt("q").call().content();
			}
			assertThat(usage.unpricedModels()).containsExactly("shop-llm-13b");
			assertThat(usage.totalTokens()).isEqualTo(18);
		}
		assertThat(output.getAll().split("No price for model 'shop-llm-13b'", -1)).hasSize(2);
	}

}
