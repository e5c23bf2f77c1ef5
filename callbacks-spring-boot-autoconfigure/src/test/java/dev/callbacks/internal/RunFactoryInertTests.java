package dev.callbacks.internal;

import java.util.List;
import java.util.Map;

import dev.callbacks.CallbackHandler;
import dev.callbacks.CallbackManager;
import dev.callbacks.CallbackObserver;
import dev.callbacks.Callbacks;
import dev.callbacks.UsageTracker;
import dev.callbacks.budget.Budget;
import dev.callbacks.budget.BudgetEnforcer;
import dev.callbacks.budget.Scope;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RunFactory#isInert} answers, without making the run, what the run would say of
 * itself: the adapter steps aside on it before it looks up whom a call is for, so a wrong
 * "inert" would silently drop a handler, a tracker or a budget.
 */
class RunFactoryInertTests {

	private static final CallbackHandler HANDLER = new CallbackHandler() {
	};

	@Test
	void answersAsTheRunWouldForEveryCombination() {
		List<CallbackManager> managers = List.of(CallbackManager.builder().build(),
				CallbackManager.builder().handlers(List.of(HANDLER)).build(),
				CallbackManager.builder().observers(List.of(new CallbackObserver() {
				})).build(), CallbackManager.builder().budgetEnforcer(BudgetEnforcer.builder().build()).build(),
				CallbackManager.builder()
					.budgetEnforcer(BudgetEnforcer.builder()
						.budgets(List.of(Budget.tokens(100).per(Scope.GLOBAL).daily()))
						.build())
					.build());
		List<List<Level>> levelSets = List.of(List.of(), List.of(level(Callbacks.handlers())),
				List.of(level(Callbacks.handlers(HANDLER))),
				List.of(level(Callbacks.handlers().budget(Budget.tokens(5).perRequest()))),
				List.of(level(Callbacks.handlers()), level(Callbacks.handlers(HANDLER))));
		int inert = 0;
		int checked = 0;
		for (CallbackManager manager : managers) {
			RunFactory runs = RunFactory.of(manager);
			for (List<Level> levels : levelSets) {
				for (Tracker tracker : Tracker.values()) {
					UsageTracker onThread = (tracker == Tracker.ON_THREAD) ? UsageTracker.start() : null;
					try {
						ContextView context = (tracker == Tracker.IN_CONTEXT)
								? Context.of(UsageTracker.CONTEXT_KEY, UsageTracker.detached(null)) : Context.empty();
						boolean expected = runs.newChainRun(levels, null, context, true, new Object(), Map.of())
							.isInert();
						assertThat(runs.isInert(levels, context))
							.as("manager %s, levels %s, tracker %s", manager, levels, tracker)
							.isEqualTo(expected);
						inert += expected ? 1 : 0;
						checked++;
					}
					finally {
						close(onThread);
					}
				}
			}
		}
		// Both answers occur: the grid covers inert and listening chains.
		assertThat(checked).isEqualTo(75);
		assertThat(inert).isBetween(1, checked - 1);
	}

	private static Level level(dev.callbacks.CallbackConfig config) {
		return Level.of(config.snapshot());
	}

	private static void close(@Nullable UsageTracker tracker) {
		if (tracker != null) {
			tracker.close();
		}
	}

	private enum Tracker {

		NONE, ON_THREAD, IN_CONTEXT

	}

}
