package dev.callbacks.budget;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Where a budget counts at an instant: its bucket, how many buckets it sums, and when the
 * bucket stops counting.
 * <p>
 * A calendar period is one bucket whose index is the period's start (epoch second), so
 * months of different lengths and days of 23 or 25 hours (daylight saving) are exact. A
 * rolling period is {@value #ROLLING_BUCKETS} buckets of 1/{@value #ROLLING_BUCKETS} of
 * the period plus the current one, so spending counts for at least one period and at most
 * one bucket longer.
 *
 * @param bucket the bucket index
 * @param span the buckets summed, up to and including {@code bucket}
 * @param bucketMillis a rolling bucket's length (0 for calendar periods)
 * @param expiresAtMillis when {@code bucket} stops counting
 * @param startMillis when {@code bucket} started counting (calendar periods)
 */
record Slot(long bucket, int span, long bucketMillis, long expiresAtMillis, long startMillis) {

	/** Sub-buckets of a rolling period. */
	static final int ROLLING_BUCKETS = 60;

	/** The slot of {@code budget} at {@code now} ({@link Scope#REQUEST}: bucket 0). */
	static Slot of(Budget budget, Instant now) {
		if (budget.period() == Period.REQUEST) {
			return new Slot(0, 1, 0, Long.MAX_VALUE, Long.MIN_VALUE);
		}
		if (budget.window() == Window.ROLLING) {
			long bucketMillis = budget.period().length().toMillis() / ROLLING_BUCKETS;
			long bucket = Math.floorDiv(now.toEpochMilli(), bucketMillis);
			int span = ROLLING_BUCKETS + 1;
			return new Slot(bucket, span, bucketMillis, (bucket + span) * bucketMillis, bucket * bucketMillis);
		}
		Slot last = budget.lastSlot();
		long millis = now.toEpochMilli();
		if (last != null && millis >= last.startMillis && millis < last.expiresAtMillis) {
			return last;
		}
		Slot slot = calendar(budget, now);
		budget.lastSlot(slot);
		return slot;
	}

	private static Slot calendar(Budget budget, Instant now) {
		ZonedDateTime local = now.atZone(budget.zone());
		ZonedDateTime start;
		ZonedDateTime end;
		switch (budget.period()) {
			case MINUTE -> {
				start = local.truncatedTo(ChronoUnit.MINUTES);
				end = start.plusMinutes(1);
			}
			case HOUR -> {
				start = local.truncatedTo(ChronoUnit.HOURS);
				end = start.plusHours(1);
			}
			case DAY -> {
				LocalDate day = local.toLocalDate();
				start = day.atStartOfDay(budget.zone());
				end = day.plusDays(1).atStartOfDay(budget.zone());
			}
			case WEEK -> {
				LocalDate monday = local.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
				start = monday.atStartOfDay(budget.zone());
				end = monday.plusWeeks(1).atStartOfDay(budget.zone());
			}
			case MONTH -> {
				LocalDate first = local.toLocalDate().withDayOfMonth(1);
				start = first.atStartOfDay(budget.zone());
				end = first.plusMonths(1).atStartOfDay(budget.zone());
			}
			default -> throw new IllegalStateException("Unexpected period " + budget.period());
		}
		return new Slot(start.toEpochSecond(), 1, 0, end.toInstant().toEpochMilli(), start.toInstant().toEpochMilli());
	}

	/**
	 * When a charge of {@code needTokens} and {@code needNanos} that was denied will fit:
	 * the end of the calendar period, or the moment enough of a rolling window's oldest
	 * buckets have dropped out. {@code null} for a request budget. When the charge
	 * exceeds the limit on its own, the moment the window is empty.
	 */
	@Nullable Instant resetsAt(List<BudgetStore.Bucket> buckets, long spentTokens, long spentNanos, long needTokens,
			long needNanos, long limitTokens, long limitNanos) {
		if (this.expiresAtMillis == Long.MAX_VALUE) {
			return null;
		}
		if (this.bucketMillis == 0) {
			return Instant.ofEpochMilli(this.expiresAtMillis);
		}
		long excessTokens = spentTokens + needTokens - limitTokens;
		long excessNanos = spentNanos + needNanos - limitNanos;
		long freedTokens = 0;
		long freedNanos = 0;
		long lastExpiry = this.expiresAtMillis;
		for (BudgetStore.Bucket bucket : buckets) {
			freedTokens += bucket.tokens();
			freedNanos += bucket.nanos();
			lastExpiry = (bucket.index() + this.span) * this.bucketMillis;
			if (freedTokens >= excessTokens && freedNanos >= excessNanos) {
				return Instant.ofEpochMilli(lastExpiry);
			}
		}
		return Instant.ofEpochMilli(lastExpiry);
	}

}
