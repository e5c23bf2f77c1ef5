package dev.callbacks.ai;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.callbacks.CallbackManager;
import dev.callbacks.test.RecordingHandler;
import dev.callbacks.test.ScriptedChatModel;
import dev.callbacks.test.ScriptedChatModel.Reply;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.observation.AdvisorObservationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a real {@code ObservationRegistry} (as Actuator gives), the callback advisors add
 * no observation, and so no span, to the user's traces; Spring AI's own observations
 * stay.
 */
class CallbackObservationsTests {

	@Test
	void callbackAdvisorsAreNotObservedAndSpringAisOwnAdvisorsAre() {
		List<String> advisors = new CopyOnWriteArrayList<>();
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationPredicate(CallbackObservations.skipCallbackAdvisors())
			.observationHandler(new ObservationHandler<>() {
				@Override
				public void onStart(Observation.Context context) {
					if (context instanceof AdvisorObservationContext advisor) {
						advisors.add(advisor.getAdvisorName());
					}
				}

				@Override
				public boolean supportsContext(Observation.Context context) {
					return true;
				}
			});
		ScriptedChatModel model = new ScriptedChatModel().respondWith((prompt) -> Reply.tokens("a", "b").usage(2, 2));
		RecordingHandler handler = new RecordingHandler();
		ChatClient client = ChatClient.builder(model, registry, null, null)
			.defaultAdvisors(CallbackAdvisors.of(CallbackManager.builder().handlers(List.of(handler)).build()))
			.build();

		client.prompt("x").call().content();
		client.prompt("y").stream().content().blockLast(java.time.Duration.ofSeconds(10));

		assertThat(handler.kinds()).contains("llm_end", "chain_end");
		assertThat(advisors).isNotEmpty().noneMatch((name) -> name.startsWith("Callbacks"));
	}

}
