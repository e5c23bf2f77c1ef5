package dev.callbacks.ai;

import dev.callbacks.budget.Admission;
import dev.callbacks.budget.BudgetEnforcer;
import dev.callbacks.budget.RoundRequest;
import dev.callbacks.internal.ChainRun;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * Checks a model round against the budgets of its chain before it is sent: the round
 * reserves its estimate (the prompt counted with the tokenizer, plus the request's
 * maximum of output tokens) in every budget that applies, atomically, or is refused with
 * a {@code BudgetExceededException}. Rounds of chains without budgets cost nothing here.
 */
final class RoundBudgets {

	private RoundBudgets() {
	}

	/** Whether any budget can apply to the rounds of {@code chain}. */
	static boolean apply(ChainRun chain) {
		return chain.budgetEnforcer() != null;
	}

	/** Admits a blocking round, or throws; may block on a remote store. */
	static Admission admit(ChainRun chain, Prompt prompt, String model) {
		BudgetEnforcer enforcer = chain.budgetEnforcer();
		return (enforcer != null) ? enforcer.admit(request(chain, prompt, model)) : Admission.NONE;
	}

	/** Admits a streamed round without blocking, or signals why not. */
	static Mono<Admission> admitAsync(ChainRun chain, Prompt prompt, String model) {
		BudgetEnforcer enforcer = chain.budgetEnforcer();
		return (enforcer != null) ? Mono.defer(() -> enforcer.admitAsync(request(chain, prompt, model)))
				: Mono.just(Admission.NONE);
	}

	private static RoundRequest request(ChainRun chain, Prompt prompt, String model) {
		long promptTokens = TokenEstimator.estimate(model.isEmpty() ? "gpt-4o" : model, prompt.getInstructions(), "")
			.promptTokens();
		return new RoundRequest(chain.name(), chain.identity(), chain.id().toString(), model.isEmpty() ? null : model,
				promptTokens, maxOutputTokens(prompt), chain.codeBudgets());
	}

	private static @Nullable Integer maxOutputTokens(Prompt prompt) {
		ChatOptions options = prompt.getOptions();
		return (options != null) ? options.getMaxTokens() : null;
	}

}
