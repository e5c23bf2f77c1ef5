package dev.callbacks.budget;

/**
 * How a budget's period is laid on the time line.
 */
public enum Window {

	/**
	 * Calendar periods (the day from midnight to midnight in the budget's zone, …): the
	 * whole budget comes back at once when the period ends.
	 */
	CALENDAR,

	/**
	 * The last period before now: spending drops out of the count one period after it
	 * happened. Counted in 60 sub-buckets per period, so spending counts for at least one
	 * period and at most 1/60 of a period longer (a rolling hour: 60 to 61 minutes).
	 */
	ROLLING

}
