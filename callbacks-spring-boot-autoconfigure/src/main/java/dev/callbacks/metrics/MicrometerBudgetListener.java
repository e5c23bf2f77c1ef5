package dev.callbacks.metrics;

import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.callbacks.budget.Budget;
import dev.callbacks.budget.BudgetExceededException;
import dev.callbacks.budget.BudgetListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Records the {@code llm.budget.*} meters. Tags stay bounded: a budget is tagged with its
 * name (configured, or given with {@code Budget.named(…)}), unnamed budgets as
 * {@code unnamed}; remaining-budget gauges exist only for global and client budgets.
 */
public final class MicrometerBudgetListener implements BudgetListener {

	private final MeterRegistry registry;

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	private final Map<String, Remaining> remaining = new ConcurrentHashMap<>();

	public MicrometerBudgetListener(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onRejected(Budget budget, BudgetExceededException exception) {
		String phase = exception.duringStream() ? BudgetMeters.PHASE_STREAM : BudgetMeters.PHASE_ADMISSION;
		String name = tag(budget);
		this.counters
			.computeIfAbsent(BudgetMeters.REJECTIONS + '\0' + name + '\0' + phase,
					key -> Counter.builder(BudgetMeters.REJECTIONS)
						.description("Model rounds rejected, and streams stopped, by a budget")
						.tag(BudgetMeters.TAG_BUDGET, name)
						.tag(BudgetMeters.TAG_PHASE, phase)
						.register(this.registry))
			.increment();
	}

	@Override
	public void onSettled(Budget budget, long tokens, BigDecimal usd) {
		String name = tag(budget);
		if (tokens != 0) {
			this.counters
				.computeIfAbsent(BudgetMeters.SPEND_TOKENS + '\0' + name,
						key -> Counter.builder(BudgetMeters.SPEND_TOKENS)
							.description("Tokens counted in a budget, as the provider reported them")
							.baseUnit("tokens")
							.tag(BudgetMeters.TAG_BUDGET, name)
							.register(this.registry))
				.increment(tokens);
		}
		if (usd.signum() != 0) {
			this.counters
				.computeIfAbsent(BudgetMeters.SPEND_COST + '\0' + name,
						key -> Counter.builder(BudgetMeters.SPEND_COST)
							.description("Cost counted in a budget")
							.baseUnit("USD")
							.tag(BudgetMeters.TAG_BUDGET, name)
							.register(this.registry))
				.increment(usd.doubleValue());
		}
	}

	@Override
	public void onSpent(Budget budget, @Nullable String scopeKey, long tokens, BigDecimal usd) {
		if (budget.name() == null) {
			return;
		}
		String key = (scopeKey != null) ? scopeKey : BudgetMeters.KEY_GLOBAL;
		Remaining holder = this.remaining.computeIfAbsent(budget.name() + '\0' + key, k -> register(budget, key));
		holder.tokens = (budget.limitTokens() != null) ? Math.max(0, budget.limitTokens() - tokens) : 0;
		holder.usd = (budget.limitUsd() != null) ? Math.max(0, budget.limitUsd().subtract(usd).doubleValue()) : 0;
	}

	@Override
	public void onStoreFailure(String operation, boolean rejected, Throwable error) {
		String outcome = "settle".equals(operation) ? BudgetMeters.OUTCOME_UNRECORDED
				: rejected ? BudgetMeters.OUTCOME_REJECTED : BudgetMeters.OUTCOME_ADMITTED;
		this.counters
			.computeIfAbsent(BudgetMeters.STORE_FAILURES + '\0' + operation + '\0' + outcome,
					key -> Counter.builder(BudgetMeters.STORE_FAILURES)
						.description("Budget store calls that failed, and what the round did")
						.tag(BudgetMeters.TAG_OPERATION, operation)
						.tag(BudgetMeters.TAG_OUTCOME, outcome)
						.register(this.registry))
			.increment();
	}

	private Remaining register(Budget budget, String key) {
		Remaining holder = new Remaining();
		String name = budget.id();
		if (budget.limitTokens() != null) {
			holder.tokens = budget.limitTokens();
			Gauge.builder(BudgetMeters.REMAINING_TOKENS, holder, h -> h.tokens)
				.description("Tokens left in a global or client budget, as this instance last saw it")
				.baseUnit("tokens")
				.tag(BudgetMeters.TAG_BUDGET, name)
				.tag(BudgetMeters.TAG_KEY, key)
				.strongReference(true)
				.register(this.registry);
		}
		if (budget.limitUsd() != null) {
			holder.usd = budget.limitUsd().doubleValue();
			Gauge.builder(BudgetMeters.REMAINING_COST, holder, h -> h.usd)
				.description("USD left in a global or client budget, as this instance last saw it")
				.baseUnit("USD")
				.tag(BudgetMeters.TAG_BUDGET, name)
				.tag(BudgetMeters.TAG_KEY, key)
				.strongReference(true)
				.register(this.registry);
		}
		return holder;
	}

	private static String tag(Budget budget) {
		return (budget.name() != null) ? budget.name() : BudgetMeters.UNNAMED;
	}

	private static final class Remaining {

		volatile double tokens;

		volatile double usd;

	}

}
