package dev.callbacks.budget;

/**
 * What a round does when the {@link BudgetStore} cannot be reached (Redis down, a
 * timeout).
 */
public enum FailurePolicy {

	/**
	 * Let the round run uncounted in the shared budgets: availability over the limit.
	 * Per-request budgets, kept on the instance, still hold.
	 */
	FAIL_OPEN,

	/** Reject the round with a {@link BudgetUnavailableException}. */
	FAIL_CLOSED

}
