package dev.callbacks.budget;

import java.time.Duration;

/**
 * How long a budget's spending counts before it starts afresh. With
 * {@link Window#CALENDAR} a period is the calendar minute, hour, day, ISO week (from
 * Monday) or month in the budget's time zone; with {@link Window#ROLLING} it is the last
 * {@link #length()} before now.
 */
public enum Period {

	/** As long as the request: only for {@link Scope#REQUEST}. */
	REQUEST(Duration.ZERO),

	/** A minute. */
	MINUTE(Duration.ofMinutes(1)),

	/** An hour. */
	HOUR(Duration.ofHours(1)),

	/** A day (a rolling day is 24 hours). */
	DAY(Duration.ofDays(1)),

	/** A week (a rolling week is 7 days). */
	WEEK(Duration.ofDays(7)),

	/** A month (a rolling month is 30 days). */
	MONTH(Duration.ofDays(30));

	private final Duration length;

	Period(Duration length) {
		this.length = length;
	}

	/**
	 * The length of a rolling window of this period ({@link Duration#ZERO} for
	 * {@link #REQUEST}).
	 */
	public Duration length() {
		return this.length;
	}

}
