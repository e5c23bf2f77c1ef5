package dev.callbacks.budget;

/**
 * A model round rejected because the budget store could not be reached and the failure
 * policy is {@link FailurePolicy#FAIL_CLOSED}. Rendered as HTTP 503.
 */
public class BudgetUnavailableException extends BudgetException {

	private final String budget;

	public BudgetUnavailableException(String budget, Throwable cause) {
		super("Budget '" + budget + "' cannot be checked: the budget store is unavailable (" + cause
				+ "), and rounds are rejected while it is (fail-closed)", cause);
		this.budget = budget;
	}

	/** The first budget that could not be checked. */
	public String budget() {
		return this.budget;
	}

}
