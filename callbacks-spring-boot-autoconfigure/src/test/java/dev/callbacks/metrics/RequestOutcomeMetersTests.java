package dev.callbacks.metrics;

import java.time.Duration;
import java.util.List;

import dev.callbacks.CallbackManager;
import dev.callbacks.ai.CallbackAdvisors;
import dev.callbacks.test.ScriptedChatModel;
import dev.callbacks.test.ScriptedChatModel.Reply;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.ai.chat.client.ChatClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;

/**
 * {@code llm.requests} by outcome over real {@code ChatClient} calls: a stream its
 * subscriber cancels (the user went away) is {@code cancelled}, not an {@code error}, so
 * that error ratios stay about errors.
 */
class RequestOutcomeMetersTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final ScriptedChatModel model = new ScriptedChatModel();

	private final ChatClient client = ChatClient.builder(this.model)
		.defaultAdvisors(CallbackAdvisors
			.of(CallbackManager.builder().observers(List.of(new MicrometerCallbackObserver(this.registry))).build()))
		.build();

	@Test
	void aCancelledStreamIsCountedAsCancelledAndAFailedOneAsAnError() {
		this.model.then(Reply.tokens("Roses", " and", " tulips", " and", " peonies").usage(10, 5))
			.then(Reply.error(new IllegalStateException("provider down")))
			.then(Reply.text("Lilies.").usage(8, 2));

		StepVerifier.create(this.client.prompt("Flowers?").stream().content().take(2))
			.expectNext("Roses", " and")
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThatRuntimeException().isThrownBy(() -> this.client.prompt("Flowers?").call().content());
		this.client.prompt("Flowers?").call().content();

		assertThat(requests("cancelled")).isNotNull().satisfies((counter) -> assertThat(counter.count()).isOne());
		assertThat(requests("error")).isNotNull().satisfies((counter) -> assertThat(counter.count()).isOne());
		assertThat(requests("success")).isNotNull().satisfies((counter) -> assertThat(counter.count()).isOne());
	}

	@Test
	void noCancelledSeriesUntilAStreamIsCancelled() {
		this.model.then(Reply.text("Lilies.").usage(8, 2));

		this.client.prompt("Flowers?").call().content();

		assertThat(requests("cancelled")).isNull();
	}

	private Counter requests(String outcome) {
		return this.registry.find(LlmMeters.REQUESTS).tag(LlmMeters.TAG_OUTCOME, outcome).counter();
	}

}
