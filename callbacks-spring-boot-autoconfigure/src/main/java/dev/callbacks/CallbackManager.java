package dev.callbacks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.callbacks.budget.BudgetEnforcer;
import dev.callbacks.usage.ModelPrices;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;

import org.springframework.util.Assert;

/**
 * The application's callback set-up: its global handlers, the observers of ended runs
 * (meters, ledger), the prices for cost and how handlers are called. Immutable; give it
 * to a client with {@code CallbackAdvisors.of(manager)} (the auto-configuration builds
 * one from the application's beans and properties and applies it to every
 * {@code ChatClient}).
 * <p>
 * Delivery: for each event, synchronous handlers are called in order on the calling
 * thread (or, for {@code stream()} runs with a
 * {@link Builder#syncHandlerScheduler(Scheduler) sync-handler scheduler}, on that
 * scheduler), and async handlers are subscribed together; the event is complete when all
 * have completed. A failing handler is logged at WARN, reported to the observers, and
 * ignored unless it {@link BaseCallbackHandler#raiseError() raises errors}.
 */
public final class CallbackManager {

	/** The name of chain runs when no level names them. */
	public static final String DEFAULT_CHAIN_NAME = "chat_client";

	/** The default bound on one async handler call. */
	public static final Duration DEFAULT_ASYNC_TIMEOUT = Duration.ofSeconds(10);

	private final List<BaseCallbackHandler> handlers;

	private final List<CallbackObserver> observers;

	private final ModelPrices prices;

	private final Duration asyncTimeout;

	private final @Nullable Scheduler syncHandlerScheduler;

	private final @Nullable BudgetEnforcer budgetEnforcer;

	private CallbackManager(Builder builder) {
		this.handlers = List.copyOf(builder.handlers);
		this.observers = List.copyOf(builder.observers);
		this.prices = builder.prices;
		this.asyncTimeout = builder.asyncTimeout;
		this.syncHandlerScheduler = builder.syncHandlerScheduler;
		this.budgetEnforcer = builder.budgetEnforcer;
	}

	/** A builder for a manager. */
	public static Builder builder() {
		return new Builder();
	}

	/** The global handlers, as given (they are delivered to in {@code @Order} order). */
	public List<BaseCallbackHandler> handlers() {
		return this.handlers;
	}

	/** The observers of ended LLM runs and failed handlers. */
	public List<CallbackObserver> observers() {
		return this.observers;
	}

	/** The prices used for cost. */
	public ModelPrices prices() {
		return this.prices;
	}

	/** The bound on one async handler call. */
	public Duration asyncTimeout() {
		return this.asyncTimeout;
	}

	/** Where synchronous handlers of streams run; {@code null}: inline. */
	public @Nullable Scheduler syncHandlerScheduler() {
		return this.syncHandlerScheduler;
	}

	/** What checks each model round against budgets; {@code null}: no budgets. */
	public @Nullable BudgetEnforcer budgetEnforcer() {
		return this.budgetEnforcer;
	}

	/** Builds a {@link CallbackManager}. */
	public static final class Builder {

		private final List<BaseCallbackHandler> handlers = new ArrayList<>();

		private final List<CallbackObserver> observers = new ArrayList<>();

		private ModelPrices prices = ModelPrices.defaults();

		private Duration asyncTimeout = DEFAULT_ASYNC_TIMEOUT;

		private @Nullable Scheduler syncHandlerScheduler;

		private @Nullable BudgetEnforcer budgetEnforcer;

		private Builder() {
		}

		/** Global handlers: they see every run tree, first, in {@code @Order} order. */
		public Builder handlers(List<? extends BaseCallbackHandler> handlers) {
			Assert.noNullElements(handlers, "handlers must not contain null elements");
			this.handlers.addAll(handlers);
			return this;
		}

		/** Observers of ended LLM runs and failed handlers. */
		public Builder observers(List<? extends CallbackObserver> observers) {
			Assert.noNullElements(observers, "observers must not contain null elements");
			this.observers.addAll(observers);
			return this;
		}

		/** Prices for cost; the bundled table by default. */
		public Builder prices(ModelPrices prices) {
			Assert.notNull(prices, "prices must not be null");
			this.prices = prices;
			return this;
		}

		/**
		 * The bound on each async handler call; a call that takes longer counts as a
		 * failed handler.
		 */
		public Builder asyncTimeout(Duration asyncTimeout) {
			Assert.isTrue(asyncTimeout != null && asyncTimeout.compareTo(Duration.ZERO) > 0,
					"asyncTimeout must be positive");
			this.asyncTimeout = asyncTimeout;
			return this;
		}

		/**
		 * Where synchronous handlers run for reactive ({@code stream()}) runs:
		 * {@code null} (the default) calls them inline on the thread that delivers the
		 * chunk, as Reactor users expect; a scheduler moves them off it, each event
		 * awaited like an async handler. The caller owns the scheduler and disposes it.
		 */
		public Builder syncHandlerScheduler(@Nullable Scheduler scheduler) {
			this.syncHandlerScheduler = scheduler;
			return this;
		}

		/**
		 * Budgets checked before each model round (tool rounds included): a round that
		 * would start over budget is not sent to the provider.
		 */
		public Builder budgetEnforcer(@Nullable BudgetEnforcer budgetEnforcer) {
			this.budgetEnforcer = budgetEnforcer;
			return this;
		}

		public CallbackManager build() {
			return new CallbackManager(this);
		}

	}

}
