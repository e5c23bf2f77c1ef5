package dev.callbacks.budget;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A spending limit in tokens, in USD or both, per {@link Scope scope} and {@link Period
 * period}:
 *
 * <pre class="code">
 * Budget.tokens(20_000).perRequest();
 * Budget.usd("5").per(Scope.TENANT).daily();
 * Budget.tokens(100_000).andUsd("2").per(Scope.USER).hourly().rolling().named("user-hourly");
 * </pre>
 *
 * Tokens are total tokens (prompt plus completion) as the provider reports them; USD is
 * their cost from the model prices. A round is admitted when its estimate (prompt tokens
 * plus its maximum of output tokens, or {@link #defaultMaxOutputTokens()} when it sets
 * none) still fits.
 * <p>
 * Budgets with the same {@link #name() name} share their counts; an unnamed budget is
 * identified by its definition, so the same definition given twice is one budget. Only
 * named budgets get meters of their own (names are meter tags: keep them few and fixed).
 * Immutable; the {@code with} methods return a copy.
 */
public final class Budget {

	/** What a budget reserves for a round that sets no maximum of output tokens. */
	public static final int DEFAULT_MAX_OUTPUT_TOKENS = 4096;

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

	private final @Nullable String name;

	private final Scope scope;

	private final Period period;

	private final Window window;

	private final ZoneId zone;

	private final @Nullable Long limitTokens;

	private final @Nullable BigDecimal limitUsd;

	private final Set<String> clients;

	private final int defaultMaxOutputTokens;

	private final StreamPolicy streamPolicy;

	private final String id;

	private final String counterId;

	private final String counterPrefix;

	// The calendar period last computed, reused while it lasts: most rounds fall in the
	// same period as the one before. Not part of the value.
	private volatile @Nullable Slot lastSlot;

	private Budget(@Nullable String name, Scope scope, Period period, Window window, ZoneId zone,
			@Nullable Long limitTokens, @Nullable BigDecimal limitUsd, Set<String> clients, int defaultMaxOutputTokens,
			StreamPolicy streamPolicy) {
		this.name = name;
		this.scope = scope;
		this.period = period;
		this.window = window;
		this.zone = zone;
		this.limitTokens = limitTokens;
		this.limitUsd = limitUsd;
		this.clients = clients;
		this.defaultMaxOutputTokens = defaultMaxOutputTokens;
		this.streamPolicy = streamPolicy;
		this.id = (name != null) ? name : definition();
		// Distinct prefixes: a name can never be mistaken for an unnamed definition.
		this.counterId = (name != null) ? "n/" + name : "d/" + this.id;
		// The period and window are part of the key: a budget reconfigured from a
		// calendar day to a rolling hour starts afresh rather than misreading buckets.
		this.counterPrefix = this.counterId + "/" + period.name().toLowerCase(Locale.ROOT) + "-"
				+ window.name().toLowerCase(Locale.ROOT) + "/";
	}

	/** A limit of {@code limit} total tokens; say per what next. */
	public static Limits tokens(long limit) {
		return limits(limit, null);
	}

	/** A limit of {@code limit} USD (for example {@code "5"} or {@code "0.50"}). */
	public static Limits usd(String limit) {
		return usd(new BigDecimal(limit));
	}

	/** A limit of {@code limit} USD. */
	public static Limits usd(BigDecimal limit) {
		return limits(null, limit);
	}

	/** A limit in tokens, USD or both (at least one). */
	public static Limits limits(@Nullable Long tokens, @Nullable BigDecimal usd) {
		return new Limits(tokens, usd);
	}

	/**
	 * The name given with {@link #named(String)} or by configuration; {@code null} if
	 * none.
	 */
	public @Nullable String name() {
		return this.name;
	}

	/**
	 * The name, or a description of the definition for an unnamed budget (what error
	 * messages and counts use).
	 */
	public String id() {
		return this.id;
	}

	public Scope scope() {
		return this.scope;
	}

	public Period period() {
		return this.period;
	}

	public Window window() {
		return this.window;
	}

	/** The time zone of calendar periods (UTC unless set). */
	public ZoneId zone() {
		return this.zone;
	}

	/** The limit in total tokens; {@code null} when the budget limits only USD. */
	public @Nullable Long limitTokens() {
		return this.limitTokens;
	}

	/** The limit in USD; {@code null} when the budget limits only tokens. */
	public @Nullable BigDecimal limitUsd() {
		return this.limitUsd;
	}

	/** The clients the budget applies to; empty: all. */
	public Set<String> clients() {
		return this.clients;
	}

	/** What is reserved for a round that sets no maximum of output tokens. */
	public int defaultMaxOutputTokens() {
		return this.defaultMaxOutputTokens;
	}

	/** What happens to a stream that goes over this budget. */
	public StreamPolicy streamPolicy() {
		return this.streamPolicy;
	}

	/** Whether the budget applies to rounds of {@code client}. */
	public boolean appliesTo(String client) {
		return this.clients.isEmpty() || this.clients.contains(client);
	}

	/**
	 * A copy with this name (letters, digits, {@code .}, {@code _} and {@code -}):
	 * budgets of the same name share their counts, and named budgets have meters.
	 */
	public Budget named(String name) {
		Assert.isTrue(name != null && NAME.matcher(name).matches(),
				() -> "A budget name must be letters, digits, '.', '_' and '-', not '" + name + "'");
		return new Budget(name, this.scope, this.period, this.window, this.zone, this.limitTokens, this.limitUsd,
				this.clients, this.defaultMaxOutputTokens, this.streamPolicy);
	}

	/** A copy counted over a rolling window (see {@link Window#ROLLING}). */
	public Budget rolling() {
		return window(Window.ROLLING);
	}

	/** A copy counted over calendar periods (the default). */
	public Budget calendar() {
		return window(Window.CALENDAR);
	}

	/** A copy with this kind of window. */
	public Budget window(Window window) {
		Assert.notNull(window, "window must not be null");
		Assert.isTrue(this.scope != Scope.REQUEST || window == Window.CALENDAR,
				"A per-request budget lasts as long as its request; it has no rolling window");
		return new Budget(this.name, this.scope, this.period, window, this.zone, this.limitTokens, this.limitUsd,
				this.clients, this.defaultMaxOutputTokens, this.streamPolicy);
	}

	/** A copy whose calendar periods start in this time zone. */
	public Budget zone(ZoneId zone) {
		Assert.notNull(zone, "zone must not be null");
		return new Budget(this.name, this.scope, this.period, this.window, zone.normalized(), this.limitTokens,
				this.limitUsd, this.clients, this.defaultMaxOutputTokens, this.streamPolicy);
	}

	/** A copy that applies only to these clients. */
	public Budget forClients(String... clients) {
		return forClients(Arrays.asList(clients));
	}

	/** A copy that applies only to these clients (empty: all). */
	public Budget forClients(Collection<String> clients) {
		Assert.noNullElements(clients, "clients must not contain null");
		return new Budget(this.name, this.scope, this.period, this.window, this.zone, this.limitTokens, this.limitUsd,
				Collections.unmodifiableSet(new LinkedHashSet<>(clients)), this.defaultMaxOutputTokens,
				this.streamPolicy);
	}

	/** A copy that reserves {@code tokens} for a round that sets no maximum output. */
	public Budget defaultMaxOutputTokens(int tokens) {
		Assert.isTrue(tokens > 0, () -> "default max output tokens must be positive, not " + tokens);
		return new Budget(this.name, this.scope, this.period, this.window, this.zone, this.limitTokens, this.limitUsd,
				this.clients, tokens, this.streamPolicy);
	}

	/** A copy with this stream policy. */
	public Budget onStream(StreamPolicy policy) {
		Assert.notNull(policy, "policy must not be null");
		return new Budget(this.name, this.scope, this.period, this.window, this.zone, this.limitTokens, this.limitUsd,
				this.clients, this.defaultMaxOutputTokens, policy);
	}

	/** What the budget's counts are stored under, with the scope key appended. */
	String counterId() {
		return this.counterId;
	}

	/** {@link #counterId()}, period and window, to which the scope key is appended. */
	String counterPrefix() {
		return this.counterPrefix;
	}

	@Nullable Slot lastSlot() {
		return this.lastSlot;
	}

	void lastSlot(Slot slot) {
		this.lastSlot = slot;
	}

	/** The USD limit in nano-dollars (rounded down), {@link Long#MAX_VALUE} when none. */
	long limitNanos() {
		return (this.limitUsd != null) ? toNanosFloor(this.limitUsd) : Long.MAX_VALUE;
	}

	/** The token limit, {@link Long#MAX_VALUE} when none. */
	long limitTokensOrMax() {
		return (this.limitTokens != null) ? this.limitTokens : Long.MAX_VALUE;
	}

	static long toNanosFloor(BigDecimal usd) {
		return usd.movePointRight(9).setScale(0, RoundingMode.FLOOR).longValue();
	}

	// What identifies an unnamed budget: everything that decides what is counted and
	// against which limit.
	private String definition() {
		StringBuilder sb = new StringBuilder();
		if (this.limitTokens != null) {
			sb.append(this.limitTokens).append("-tokens");
		}
		if (this.limitUsd != null) {
			sb.append((sb.length() > 0) ? "-" : "")
				.append(this.limitUsd.stripTrailingZeros().toPlainString())
				.append("-usd");
		}
		sb.append("-per-").append(this.scope.name().toLowerCase(Locale.ROOT));
		if (this.scope != Scope.REQUEST) {
			sb.append('-').append(this.period.name().toLowerCase(Locale.ROOT));
			sb.append('-').append(this.window.name().toLowerCase(Locale.ROOT));
			if (this.window == Window.CALENDAR && !this.zone.equals(ZoneOffset.UTC)) {
				sb.append('-').append(this.zone.getId());
			}
		}
		if (!this.clients.isEmpty()) {
			sb.append("-for-").append(String.join(",", this.clients));
		}
		return sb.toString();
	}

	@Override
	public boolean equals(@Nullable Object other) {
		if (this == other) {
			return true;
		}
		if (!(other instanceof Budget that)) {
			return false;
		}
		return Objects.equals(this.name, that.name) && this.scope == that.scope && this.period == that.period
				&& this.window == that.window && this.zone.equals(that.zone)
				&& Objects.equals(this.limitTokens, that.limitTokens) && Objects.equals(this.limitUsd, that.limitUsd)
				&& this.clients.equals(that.clients) && this.defaultMaxOutputTokens == that.defaultMaxOutputTokens
				&& this.streamPolicy == that.streamPolicy;
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.name, this.scope, this.period, this.window, this.zone, this.limitTokens, this.limitUsd,
				this.clients, this.defaultMaxOutputTokens, this.streamPolicy);
	}

	@Override
	public String toString() {
		return "Budget[" + this.id + ((this.name != null) ? ": " + definition() : "") + "]";
	}

	/** A limit waiting for its scope. */
	public static final class Limits {

		private final @Nullable Long tokens;

		private final @Nullable BigDecimal usd;

		private Limits(@Nullable Long tokens, @Nullable BigDecimal usd) {
			Assert.isTrue(tokens != null || usd != null, "A budget needs a limit in tokens, in USD or both");
			Assert.isTrue(tokens == null || tokens > 0, () -> "A token limit must be positive, not " + tokens);
			Assert.isTrue(usd == null || usd.signum() > 0, () -> "A USD limit must be positive, not " + usd);
			this.tokens = tokens;
			this.usd = usd;
		}

		/** These limits and a token limit too. */
		public Limits andTokens(long limit) {
			return new Limits(limit, this.usd);
		}

		/** These limits and a USD limit too. */
		public Limits andUsd(String limit) {
			return new Limits(this.tokens, new BigDecimal(limit));
		}

		/** A budget for each request (one {@code ChatClient} call, every round of it). */
		public Budget perRequest() {
			return new Budget(null, Scope.REQUEST, Period.REQUEST, Window.CALENDAR, ZoneOffset.UTC, this.tokens,
					this.usd, Set.of(), DEFAULT_MAX_OUTPUT_TOKENS, StreamPolicy.STOP);
		}

		/**
		 * A budget for each key of {@code scope}; the period comes next.
		 * {@link Scope#REQUEST} has none: use {@link #perRequest()}.
		 */
		public Scoped per(Scope scope) {
			Assert.notNull(scope, "scope must not be null");
			Assert.isTrue(scope != Scope.REQUEST, "A per-request budget has no period: use perRequest()");
			return new Scoped(this, scope);
		}

	}

	/** A limit and a scope waiting for the period. */
	public static final class Scoped {

		private final Limits limits;

		private final Scope scope;

		private Scoped(Limits limits, Scope scope) {
			this.limits = limits;
			this.scope = scope;
		}

		/** Per calendar minute (or rolling, with {@link Budget#rolling()}). */
		public Budget perMinute() {
			return every(Period.MINUTE);
		}

		/** Per calendar hour (or rolling, with {@link Budget#rolling()}). */
		public Budget hourly() {
			return every(Period.HOUR);
		}

		/** Per calendar day (or rolling, with {@link Budget#rolling()}). */
		public Budget daily() {
			return every(Period.DAY);
		}

		/**
		 * Per ISO week from Monday (or rolling 7 days, with {@link Budget#rolling()}).
		 */
		public Budget weekly() {
			return every(Period.WEEK);
		}

		/** Per calendar month (or rolling 30 days, with {@link Budget#rolling()}). */
		public Budget monthly() {
			return every(Period.MONTH);
		}

		/** Per {@code period}. */
		public Budget every(Period period) {
			Assert.notNull(period, "period must not be null");
			Assert.isTrue(period != Period.REQUEST, "Period REQUEST is for per-request budgets: use perRequest()");
			return new Budget(null, this.scope, period, Window.CALENDAR, ZoneOffset.UTC, this.limits.tokens,
					this.limits.usd, Set.of(), DEFAULT_MAX_OUTPUT_TOKENS, StreamPolicy.STOP);
		}

	}

}
