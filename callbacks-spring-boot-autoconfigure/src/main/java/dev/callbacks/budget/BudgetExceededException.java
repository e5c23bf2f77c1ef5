package dev.callbacks.budget;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * A model round that would go over a budget, rejected before it started; or a stream
 * stopped when it went over ({@link #duringStream()}). Names the budget, whose budget it
 * is, the limit, what was spent and when it resets. Rendered as HTTP 429 with a
 * {@code Retry-After} header.
 */
public class BudgetExceededException extends BudgetException {

	private final String budget;

	private final Scope scope;

	private final @Nullable String scopeKey;

	private final Period period;

	private final Window window;

	private final @Nullable Long limitTokens;

	private final @Nullable BigDecimal limitUsd;

	private final long spentTokens;

	private final BigDecimal spentUsd;

	private final long requestedTokens;

	private final BigDecimal requestedUsd;

	private final @Nullable Instant resetsAt;

	private final @Nullable Duration retryAfter;

	private final boolean duringStream;

	/**
	 * @param budget the budget's name (or its definition, if unnamed)
	 * @param scope the budget's scope
	 * @param scopeKey the request, conversation, user, tenant or client whose budget it
	 * is; {@code null} for a global budget
	 * @param period the budget's period
	 * @param window the budget's window
	 * @param limitTokens the token limit, if any
	 * @param limitUsd the USD limit, if any
	 * @param spentTokens tokens spent or reserved by rounds in progress
	 * @param spentUsd USD spent or reserved by rounds in progress
	 * @param requestedTokens what the round needed (its estimate, or the stream's excess)
	 * @param requestedUsd what the round needed in USD
	 * @param resetsAt when the round would fit again; {@code null} for a request budget
	 * @param retryAfter the time from the rejection to {@code resetsAt}
	 * @param duringStream whether a stream was stopped (rather than a round rejected)
	 */
	public BudgetExceededException(String budget, Scope scope, @Nullable String scopeKey, Period period, Window window,
			@Nullable Long limitTokens, @Nullable BigDecimal limitUsd, long spentTokens, BigDecimal spentUsd,
			long requestedTokens, BigDecimal requestedUsd, @Nullable Instant resetsAt, @Nullable Duration retryAfter,
			boolean duringStream) {
		super(message(budget, scope, scopeKey, period, window, limitTokens, limitUsd, spentTokens, spentUsd,
				requestedTokens, requestedUsd, resetsAt, retryAfter, duringStream, true));
		this.budget = budget;
		this.scope = scope;
		this.scopeKey = scopeKey;
		this.period = period;
		this.window = window;
		this.limitTokens = limitTokens;
		this.limitUsd = limitUsd;
		this.spentTokens = spentTokens;
		this.spentUsd = spentUsd;
		this.requestedTokens = requestedTokens;
		this.requestedUsd = requestedUsd;
		this.resetsAt = resetsAt;
		this.retryAfter = retryAfter;
		this.duringStream = duringStream;
	}

	/** The budget's name, or its definition if it has none. */
	public String budget() {
		return this.budget;
	}

	public Scope scope() {
		return this.scope;
	}

	/**
	 * Whose budget: the request, conversation, user, tenant or client; null if global.
	 */
	public @Nullable String scopeKey() {
		return this.scopeKey;
	}

	public Period period() {
		return this.period;
	}

	public Window window() {
		return this.window;
	}

	public @Nullable Long limitTokens() {
		return this.limitTokens;
	}

	public @Nullable BigDecimal limitUsd() {
		return this.limitUsd;
	}

	/** Tokens spent in the period, reservations of rounds in progress included. */
	public long spentTokens() {
		return this.spentTokens;
	}

	/** USD spent in the period, reservations of rounds in progress included. */
	public BigDecimal spentUsd() {
		return this.spentUsd;
	}

	/**
	 * What the round needed: its estimate, or for a stream the tokens past its
	 * reservation.
	 */
	public long requestedTokens() {
		return this.requestedTokens;
	}

	public BigDecimal requestedUsd() {
		return this.requestedUsd;
	}

	/**
	 * When a round like this one fits again (the end of the calendar period, or when
	 * enough of a rolling window has dropped out); {@code null} for a request budget,
	 * which never resets.
	 */
	public @Nullable Instant resetsAt() {
		return this.resetsAt;
	}

	/** The time from the rejection to {@link #resetsAt()}; {@code null} if none. */
	public @Nullable Duration retryAfter() {
		return this.retryAfter;
	}

	/**
	 * {@link #retryAfter()} in whole seconds, rounded up (what a {@code Retry-After}
	 * header says); {@code null} if none.
	 */
	public @Nullable Long retryAfterSeconds() {
		return (this.retryAfter != null) ? ceilSeconds(this.retryAfter) : null;
	}

	/** Whether a stream was stopped, rather than a round rejected before it started. */
	public boolean duringStream() {
		return this.duringStream;
	}

	/** Whether the round alone needs more than the limit, so that waiting cannot help. */
	public boolean exceedsLimitAlone() {
		return (this.limitTokens != null && this.requestedTokens > this.limitTokens)
				|| (this.limitUsd != null && this.requestedUsd.compareTo(this.limitUsd) > 0);
	}

	/**
	 * The message without the scope key (a user, tenant or conversation id), fit for a
	 * response to a client.
	 */
	public String detail() {
		return message(this.budget, this.scope, this.scopeKey, this.period, this.window, this.limitTokens,
				this.limitUsd, this.spentTokens, this.spentUsd, this.requestedTokens, this.requestedUsd, this.resetsAt,
				this.retryAfter, this.duringStream, false);
	}

	private static String message(String budget, Scope scope, @Nullable String scopeKey, Period period, Window window,
			@Nullable Long limitTokens, @Nullable BigDecimal limitUsd, long spentTokens, BigDecimal spentUsd,
			long requestedTokens, BigDecimal requestedUsd, @Nullable Instant resetsAt, @Nullable Duration retryAfter,
			boolean duringStream, boolean withKey) {
		StringBuilder sb = new StringBuilder("Budget '").append(budget).append("' (");
		String scopeName = scope.name().toLowerCase(Locale.ROOT);
		if (scope == Scope.REQUEST) {
			sb.append("per request");
		}
		else {
			if (scope != Scope.GLOBAL) {
				sb.append(scopeName);
				if (withKey && scopeKey != null) {
					sb.append(" '").append(scopeKey).append('\'');
				}
				sb.append(", ");
			}
			sb.append((window == Window.ROLLING) ? "rolling " : "calendar ")
				.append(period.name().toLowerCase(Locale.ROOT));
		}
		sb.append(") exceeded: ");
		boolean tokens = limitTokens != null && spentTokens + requestedTokens > limitTokens;
		boolean usd = limitUsd != null && spentUsd.add(requestedUsd).compareTo(limitUsd) > 0;
		if (!tokens && !usd) {
			// Reported by a store that saw more than the enforcer: say both.
			tokens = limitTokens != null;
			usd = limitUsd != null;
		}
		if (tokens) {
			sb.append(String.format(Locale.ROOT, "%,d of %,d tokens spent", spentTokens, limitTokens));
		}
		if (usd) {
			sb.append(tokens ? " and " : "")
				.append("$")
				.append(plain(spentUsd))
				.append(" of $")
				.append(plain(limitUsd))
				.append(" spent");
		}
		if (duringStream) {
			sb.append(String.format(Locale.ROOT, "; the stream was stopped when it needed %,d tokens more",
					requestedTokens));
		}
		else {
			sb.append(String.format(Locale.ROOT, " or reserved, and this round may use up to %,d tokens",
					requestedTokens));
			if (usd) {
				sb.append(" ($").append(plain(requestedUsd)).append(')');
			}
			boolean alone = (limitTokens != null && requestedTokens > limitTokens)
					|| (limitUsd != null && requestedUsd.compareTo(limitUsd) > 0);
			if (alone) {
				sb.append(", more than the limit on its own: set a lower maximum of output tokens");
			}
		}
		if (resetsAt != null) {
			sb.append("; it resets at ").append(resetsAt);
			if (retryAfter != null) {
				sb.append(" (in ").append(ceilSeconds(retryAfter)).append(" s)");
			}
		}
		else if (scope == Scope.REQUEST) {
			sb.append("; a request budget does not reset");
		}
		return sb.toString();
	}

	private static String plain(@Nullable BigDecimal usd) {
		return (usd != null) ? usd.stripTrailingZeros().toPlainString() : "0";
	}

	private static long ceilSeconds(Duration duration) {
		return Math.max(0, duration.getSeconds() + ((duration.getNano() > 0) ? 1 : 0));
	}

}
