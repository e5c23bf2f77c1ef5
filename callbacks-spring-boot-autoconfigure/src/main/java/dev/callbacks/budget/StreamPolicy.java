package dev.callbacks.budget;

/**
 * What happens to a stream that goes over its budget while tokens are arriving (possible
 * when the round set no maximum of output tokens and the budget reserved its default).
 */
public enum StreamPolicy {

	/** Stop the stream with a {@link BudgetExceededException}. */
	STOP,

	/** Let the stream finish; what it used is counted when it ends. */
	FINISH

}
