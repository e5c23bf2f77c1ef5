package dev.callbacks.budget;

import java.time.Duration;
import java.util.List;

import dev.callbacks.CallbackManager;
import dev.callbacks.Callbacks;
import dev.callbacks.ai.CallbackAdvisors;
import dev.callbacks.ai.ModelRoundInterceptor;
import dev.callbacks.test.ScriptedChatModel;
import dev.callbacks.test.ScriptedChatModel.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.test.StepVerifier;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.prompt.ChatOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Budgets hold in an application where nothing else listens (no handler, no tracker, no
 * meters): the callbacks step aside for such calls, but not when a budget applies.
 */
@Timeout(30)
class BudgetsWithNothingListeningTests {

	private final ScriptedChatModel model = new ScriptedChatModel();

	@Test
	void configuredBudgetsAreEnforcedWithNothingElseListening() {
		this.model.respondWith((prompt) -> Reply.text("Roses.").usage(40, 20));
		BudgetEnforcer enforcer = BudgetEnforcer.builder()
			.budgets(List.of(Budget.tokens(100).per(Scope.GLOBAL).daily()))
			.build();
		ChatClient client = client(CallbackManager.builder().budgetEnforcer(enforcer).build());

		assertThat(client.prompt("Roses?").call().content()).isEqualTo("Roses.");
		// 60 spent; the next round reserves its prompt and 20 output tokens: still fits.
		// The third would not.
		client.prompt("Roses?").call().content();
		assertThatExceptionOfType(BudgetExceededException.class)
			.isThrownBy(() -> client.prompt("Roses?").call().content());
		assertThat(this.model.prompts()).hasSize(2);
	}

	@Test
	void aBudgetGivenInCodeIsEnforcedWithNothingElseListening() {
		this.model.respondWith((prompt) -> Reply.tokens("a", "b", "c").usage(10, 3));
		// As the auto-configuration sets it up: an enforcer with no configured budget.
		ChatClient client = client(CallbackManager.builder().budgetEnforcer(BudgetEnforcer.builder().build()).build());

		assertThatExceptionOfType(BudgetExceededException.class).isThrownBy(() -> client.prompt("Roses?")
			.advisors(Callbacks.handlers().budget(Budget.tokens(5).perRequest()))
			.call()
			.content());
		StepVerifier
			.create(client.prompt("Roses?")
				.advisors(Callbacks.handlers().budget(Budget.tokens(5).perRequest()))
				.stream()
				.content())
			.expectError(BudgetExceededException.class)
			.verify(Duration.ofSeconds(10));
		assertThat(this.model.prompts()).isEmpty();
	}

	private ChatClient client(CallbackManager manager) {
		return ChatClient.builder(ModelRoundInterceptor.traced(this.model))
			.defaultAdvisors(CallbackAdvisors.forTracedModel(manager))
			.defaultOptions(ChatOptions.builder().maxTokens(20))
			.build();
	}

}
