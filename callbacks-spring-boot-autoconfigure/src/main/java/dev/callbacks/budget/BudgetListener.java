package dev.callbacks.budget;

import java.math.BigDecimal;

import org.jspecify.annotations.Nullable;

/**
 * What the enforcer reports, for meters and logs. Called inline on the round's thread:
 * implementations must be quick and must not throw.
 */
public interface BudgetListener {

	/**
	 * A round rejected, or a stream stopped
	 * ({@link BudgetExceededException#duringStream()}).
	 */
	default void onRejected(Budget budget, BudgetExceededException exception) {
	}

	/** A round settled: what it actually used, counted in {@code budget}. */
	default void onSettled(Budget budget, long tokens, BigDecimal usd) {
	}

	/**
	 * The sum a {@link Scope#GLOBAL} or {@link Scope#CLIENT} budget counts now, as the
	 * store reported it after this instance's last reservation or settlement.
	 * @param scopeKey the client for a client budget, {@code null} for a global one
	 */
	default void onSpent(Budget budget, @Nullable String scopeKey, long tokens, BigDecimal usd) {
	}

	/**
	 * The store failed.
	 * @param operation {@code reserve} or {@code settle}
	 * @param rejected whether the round was rejected for it (fail-closed reservation)
	 */
	default void onStoreFailure(String operation, boolean rejected, Throwable error) {
	}

}
