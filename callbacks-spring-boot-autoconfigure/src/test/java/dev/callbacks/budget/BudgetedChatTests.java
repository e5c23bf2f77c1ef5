package dev.callbacks.budget;

import java.time.Duration;
import java.util.List;

import dev.callbacks.CallbackManager;
import dev.callbacks.Callbacks;
import dev.callbacks.UsageTracker;
import dev.callbacks.ai.CallbackAdvisors;
import dev.callbacks.event.LlmErrorEvent;
import dev.callbacks.event.RunIdentity;
import dev.callbacks.metrics.LlmMeters;
import dev.callbacks.metrics.MicrometerCallbackObserver;
import dev.callbacks.test.RecordingHandler;
import dev.callbacks.test.ScriptedChatModel;
import dev.callbacks.test.ScriptedChatModel.Reply;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.test.StepVerifier;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.prompt.ChatOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Budgets enforced on real {@code ChatClient} calls: a round that would start over budget
 * never reaches the model, its LLM run ends with the {@link BudgetExceededException}, and
 * {@code llm.requests{outcome=rejected}} counts it; a stream that crosses a limit is
 * stopped.
 */
@Timeout(30)
class BudgetedChatTests {

	private final ScriptedChatModel model = new ScriptedChatModel();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final RecordingHandler handler = new RecordingHandler();

	private ChatClient client(BudgetEnforcer enforcer) {
		CallbackManager manager = CallbackManager.builder()
			.handlers(List.of(this.handler))
			.observers(List.of(new MicrometerCallbackObserver(this.registry)))
			.budgetEnforcer(enforcer)
			.build();
		return ChatClient.builder(this.model)
			.defaultAdvisors(CallbackAdvisors.of(manager))
			.defaultOptions(ChatOptions.builder().maxTokens(20))
			.build();
	}

	@Test
	void aRoundOverTheUsersBudgetNeverReachesTheModel() {
		this.model.respondWith((prompt) -> Reply.text("Roses.").usage(40, 20));
		ChatClient client = client(BudgetEnforcer.builder().build());
		Budget perUser = Budget.tokens(140).per(Scope.USER).daily();

		String first = ask(client, perUser, "alice");
		String second = ask(client, perUser, "alice");
		// Spent 120: the third round would reserve its prompt and 20 output tokens more.
		assertThatExceptionOfType(BudgetExceededException.class).isThrownBy(() -> ask(client, perUser, "alice"))
			.satisfies((ex) -> {
				assertThat(ex.scopeKey()).isEqualTo("alice");
				assertThat(ex.getMessage()).contains("alice");
			});
		// Another user's budget is untouched.
		String other = ask(client, perUser, "bob");

		assertThat(List.of(first, second, other)).containsOnly("Roses.");
		assertThat(this.model.prompts()).as("the refused round was never sent").hasSize(3);
		assertThat(this.handler.events(LlmErrorEvent.class)).singleElement()
			.satisfies((error) -> assertThat(error.error()).isInstanceOf(BudgetExceededException.class));
		assertThat(this.registry.find(LlmMeters.REQUESTS).tag(LlmMeters.TAG_OUTCOME, "rejected").counter()).isNotNull()
			.satisfies((counter) -> assertThat(counter.count()).isEqualTo(1));
		assertThat(this.registry.find(LlmMeters.REQUESTS).tag(LlmMeters.TAG_OUTCOME, "success").counter().count())
			.isEqualTo(3);
	}

	@Test
	void aRejectedRoundCountsAsAFailedRequestWithNoTokens() {
		this.model.respondWith((prompt) -> Reply.text("Roses.").usage(40, 20));
		ChatClient client = client(BudgetEnforcer.builder().build());
		Budget tiny = Budget.tokens(5).perRequest();

		try (UsageTracker usage = UsageTracker.start()) {
			assertThatExceptionOfType(BudgetExceededException.class)
				.isThrownBy(() -> client.prompt("Roses?").advisors(Callbacks.handlers().budget(tiny)).call().content());
			assertThat(usage.failedRequests()).isEqualTo(1);
			assertThat(usage.totalTokens()).isZero();
		}
		assertThat(this.model.prompts()).isEmpty();
	}

	@Test
	void aStreamThatCrossesItsLimitIsStopped() {
		String[] tokens = new String[40];
		java.util.Arrays.fill(tokens, "a");
		this.model.respondWith((prompt) -> Reply.tokens(tokens).usage(10, 40));
		ChatClient client = client(BudgetEnforcer.builder().build());
		// Admitted with its prompt and 2 output tokens reserved, then stopped once its
		// tokens pass what the budget holds: 40 tokens never fit in 30.
		Budget perRequest = Budget.tokens(30).perRequest();

		StepVerifier
			.create(client.prompt("x")
				.options(ChatOptions.builder().maxTokens(2))
				.advisors(Callbacks.handlers().budget(perRequest))
				.stream()
				.content())
			.thenConsumeWhile((token) -> true)
			.expectError(BudgetExceededException.class)
			.verify(Duration.ofSeconds(10));
		assertThat(this.handler.events(LlmErrorEvent.class)).singleElement()
			.satisfies((error) -> assertThat(error.error()).isInstanceOf(BudgetExceededException.class));
	}

	private String ask(ChatClient client, Budget budget, String user) {
		return client.prompt("Roses?")
			.advisors(Callbacks.handlers().budget(budget).metadata(RunIdentity.USER, user))
			.call()
			.content();
	}

}
