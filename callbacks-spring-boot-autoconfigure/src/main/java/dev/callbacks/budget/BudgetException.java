package dev.callbacks.budget;

/**
 * A model round that did not run, or a stream that was stopped, because of a budget.
 */
public abstract class BudgetException extends RuntimeException {

	protected BudgetException(String message) {
		super(message);
	}

	protected BudgetException(String message, Throwable cause) {
		super(message, cause);
	}

}
