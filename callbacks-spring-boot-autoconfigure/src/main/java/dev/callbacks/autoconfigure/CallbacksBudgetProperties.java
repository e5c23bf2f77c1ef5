package dev.callbacks.autoconfigure;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import dev.callbacks.budget.Budget;
import dev.callbacks.budget.FailurePolicy;
import dev.callbacks.budget.Period;
import dev.callbacks.budget.Scope;
import dev.callbacks.budget.StreamPolicy;
import dev.callbacks.budget.Window;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Budgets ({@code callbacks.budgets.<name>.*}) and where their counts live
 * ({@code callbacks.budget-store.*}).
 */
@ConfigurationProperties("callbacks")
public class CallbacksBudgetProperties {

	/**
	 * Budgets by name (letters, digits, '.', '_' and '-'); the name tags their meters and
	 * identifies their counts in the store.
	 */
	private final Map<String, BudgetSpec> budgets = new LinkedHashMap<>();

	private final Store budgetStore = new Store();

	public Map<String, BudgetSpec> getBudgets() {
		return this.budgets;
	}

	public Store getBudgetStore() {
		return this.budgetStore;
	}

	public static class BudgetSpec {

		/**
		 * Whose spending is limited: request, conversation, user, tenant, client or
		 * global. Required.
		 */
		private @Nullable Scope scope;

		/**
		 * How long spending counts: minute, hour, day, week or month (required unless the
		 * scope is request, whose budget lasts as long as the request).
		 */
		private @Nullable Period period;

		/**
		 * Calendar periods (the whole budget comes back when the period ends) or a
		 * rolling window over the last period.
		 */
		private Window window = Window.CALENDAR;

		/**
		 * Time zone where calendar periods start (midnight, Monday, the 1st).
		 */
		private String zone = "UTC";

		/**
		 * Limit in total tokens (prompt plus completion).
		 */
		private @Nullable Long limitTokens;

		/**
		 * Limit in USD, priced from callbacks.pricing and the bundled model prices.
		 */
		private @Nullable BigDecimal limitUsd;

		/**
		 * Clients (chain run names) the budget applies to; all when empty.
		 */
		private Set<String> clients = new LinkedHashSet<>();

		/**
		 * Output tokens reserved for a round that sets no maximum of its own.
		 */
		private int defaultMaxOutputTokens = Budget.DEFAULT_MAX_OUTPUT_TOKENS;

		/**
		 * What happens to a stream that goes over the budget: stop it, or let it finish
		 * and count what it used.
		 */
		private StreamPolicy stream = StreamPolicy.STOP;

		public @Nullable Scope getScope() {
			return this.scope;
		}

		public void setScope(@Nullable Scope scope) {
			this.scope = scope;
		}

		public @Nullable Period getPeriod() {
			return this.period;
		}

		public void setPeriod(@Nullable Period period) {
			this.period = period;
		}

		public Window getWindow() {
			return this.window;
		}

		public void setWindow(Window window) {
			this.window = window;
		}

		public String getZone() {
			return this.zone;
		}

		public void setZone(String zone) {
			this.zone = zone;
		}

		public @Nullable Long getLimitTokens() {
			return this.limitTokens;
		}

		public void setLimitTokens(@Nullable Long limitTokens) {
			this.limitTokens = limitTokens;
		}

		public @Nullable BigDecimal getLimitUsd() {
			return this.limitUsd;
		}

		public void setLimitUsd(@Nullable BigDecimal limitUsd) {
			this.limitUsd = limitUsd;
		}

		public Set<String> getClients() {
			return this.clients;
		}

		public void setClients(Set<String> clients) {
			this.clients = clients;
		}

		public int getDefaultMaxOutputTokens() {
			return this.defaultMaxOutputTokens;
		}

		public void setDefaultMaxOutputTokens(int defaultMaxOutputTokens) {
			this.defaultMaxOutputTokens = defaultMaxOutputTokens;
		}

		public StreamPolicy getStream() {
			return this.stream;
		}

		public void setStream(StreamPolicy stream) {
			this.stream = stream;
		}

	}

	public static class Store {

		/**
		 * Where budget counts live: memory (this instance only) or redis (shared by all
		 * instances; needs Spring Data Redis with Lettuce).
		 */
		private StoreType type = StoreType.MEMORY;

		/**
		 * What a round does when the store cannot be reached: fail-open (runs, uncounted
		 * in shared budgets) or fail-closed (rejected with HTTP 503).
		 */
		private FailurePolicy onFailure = FailurePolicy.FAIL_OPEN;

		/**
		 * How long per-request counts are kept after a request's last round if its end is
		 * not signalled.
		 */
		private Duration requestIdleTimeout = Duration.ofHours(1);

		private final Redis redis = new Redis();

		public StoreType getType() {
			return this.type;
		}

		public void setType(StoreType type) {
			this.type = type;
		}

		public FailurePolicy getOnFailure() {
			return this.onFailure;
		}

		public void setOnFailure(FailurePolicy onFailure) {
			this.onFailure = onFailure;
		}

		public Duration getRequestIdleTimeout() {
			return this.requestIdleTimeout;
		}

		public void setRequestIdleTimeout(Duration requestIdleTimeout) {
			this.requestIdleTimeout = requestIdleTimeout;
		}

		public Redis getRedis() {
			return this.redis;
		}

	}

	public static class Redis {

		/**
		 * Prefix of every budget key. On Redis Cluster, include a hash tag (such as
		 * "{budgets}:") so that a round's counters share a slot.
		 */
		private String keyPrefix = "callbacks:budget:";

		/**
		 * Longest time a budget call to Redis may take before the failure policy applies.
		 */
		private Duration timeout = Duration.ofMillis(500);

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/** Where budget counts live. */
	public enum StoreType {

		/** In this instance's memory. */
		MEMORY,

		/** In Redis, shared by every instance. */
		REDIS

	}

}
