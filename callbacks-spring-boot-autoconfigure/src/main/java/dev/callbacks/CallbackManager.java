package dev.callbacks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import dev.callbacks.event.CallbackEvent;
import dev.callbacks.usage.ModelPrices;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.ContextView;

import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.util.Assert;

/**
 * Holds the global handlers and the accounting (prices, observers), creates run trees and
 * delivers their events.
 * <p>
 * The Spring AI adapter's chain advisor carries it (the auto-configuration adds one with
 * the application's manager to every {@code ChatClient}). A {@code ChatClient} the
 * auto-configuration never saw uses {@link #standalone()}, which has no global handlers.
 * <p>
 * Delivery: for each event, synchronous handlers are called in order on the calling
 * thread (or, for reactive runs with a {@link Builder#syncHandlerScheduler(Scheduler)
 * sync-handler scheduler}, on that scheduler), and async handlers are subscribed
 * together; the event is complete when all have completed. A failing handler is logged at
 * WARN, reported to the observers, and ignored unless it
 * {@link BaseCallbackHandler#raiseError() raises errors}.
 */
public final class CallbackManager {

	/** The name of chain runs when no level names them. */
	public static final String DEFAULT_CHAIN_NAME = "chat_client";

	/** The default bound on one async handler call. */
	public static final Duration DEFAULT_ASYNC_TIMEOUT = Duration.ofSeconds(10);

	private static final Logger logger = LoggerFactory.getLogger(CallbackManager.class);

	private static volatile @Nullable CallbackManager standalone;

	private final HandlerSet globalHandlers;

	private final List<CallbackObserver> observers;

	private final ModelPrices prices;

	private final Duration asyncTimeout;

	private final @Nullable Scheduler syncHandlerScheduler;

	// Requested model → the model that answered it last; bounded, model names are few.
	private final Map<String, String> answeredAs = new java.util.concurrent.ConcurrentHashMap<>();

	private CallbackManager(Builder builder) {
		List<BaseCallbackHandler> handlers = new ArrayList<>(builder.handlers);
		AnnotationAwareOrderComparator.sort(handlers);
		this.globalHandlers = HandlerSet.of(handlers);
		this.observers = List.copyOf(builder.observers);
		this.prices = builder.prices;
		this.asyncTimeout = builder.asyncTimeout;
		this.syncHandlerScheduler = builder.syncHandlerScheduler;
	}

	/** A builder for a manager. */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The manager of clients the auto-configuration never saw: no global handlers,
	 * bundled prices.
	 */
	public static CallbackManager standalone() {
		CallbackManager result = standalone;
		if (result == null) {
			result = builder().build();
			standalone = result;
		}
		return result;
	}

	/** The prices used for cost. */
	public ModelPrices prices() {
		return this.prices;
	}

	/**
	 * Creates the chain run of one {@code ChatClient} call: its handlers are the global
	 * ones followed by those of {@code levels} (client levels first, then request
	 * levels); its usage goes to the tracker current on this thread or in
	 * {@code reactorContext}. No event is delivered yet.
	 * @param parent the run the call is made from (a tool calling another client), if any
	 * @param startedBy the advisor chain that runs the call: advisors of the same chain
	 * step aside
	 */
	public ChainRun newChainRun(List<CallbackConfig.Level> levels, @Nullable Run parent,
			@Nullable ContextView reactorContext, boolean streaming, Object startedBy) {
		HandlerSet handlers = this.globalHandlers;
		String name = DEFAULT_CHAIN_NAME;
		List<String> tags = List.of();
		Map<String, Object> metadata = Map.of();
		if (!levels.isEmpty()) {
			List<String> allTags = new ArrayList<>();
			Map<String, Object> allMetadata = new LinkedHashMap<>();
			for (CallbackConfig.Level level : levels) {
				handlers = handlers.plus(level.handlers());
				for (String tag : level.tags()) {
					if (!allTags.contains(tag)) {
						allTags.add(tag);
					}
				}
				allMetadata.putAll(level.metadata());
				if (level.name() != null) {
					name = level.name();
				}
			}
			tags = List.copyOf(allTags);
			metadata = Collections.unmodifiableMap(allMetadata);
		}
		return new ChainRun(this, handlers, (parent != null) ? parent.id() : null, name, tags, metadata,
				trackers(reactorContext), streaming, startedBy);
	}

	// The innermost tracker wins (its runs count in its ancestors anyway); two unrelated
	// ones both count.
	private static UsageTracker @Nullable [] trackers(@Nullable ContextView reactorContext) {
		UsageTracker onThread = UsageTracker.currentOrNull();
		UsageTracker inContext = (reactorContext != null) ? reactorContext.getOrDefault(UsageTracker.CONTEXT_KEY, null)
				: null;
		if (inContext == null || inContext == onThread) {
			return (onThread != null) ? new UsageTracker[] { onThread } : null;
		}
		if (onThread == null || onThread.isAncestorOf(inContext)) {
			return new UsageTracker[] { inContext };
		}
		if (inContext.isAncestorOf(onThread)) {
			return new UsageTracker[] { onThread };
		}
		return new UsageTracker[] { onThread, inContext };
	}

	// Requested models whose streams reported usage last time; bounded like the map
	// above.
	private final Set<String> streamsReportingUsage = java.util.concurrent.ConcurrentHashMap.newKeySet();

	boolean streamsReportUsage(String requestedModel) {
		return this.streamsReportingUsage.contains(requestedModel);
	}

	void streamsReportUsage(String requestedModel, boolean reported) {
		if (!reported) {
			this.streamsReportingUsage.remove(requestedModel);
		}
		else if (this.streamsReportingUsage.size() < 256 && !this.streamsReportingUsage.contains(requestedModel)) {
			this.streamsReportingUsage.add(requestedModel);
		}
	}

	void answeredAs(String requested, String answered) {
		if (!requested.isEmpty() && !requested.equals(answered) && this.answeredAs.size() < 256) {
			this.answeredAs.putIfAbsent(requested, answered);
		}
	}

	String answeringModel(String requested) {
		return this.answeredAs.getOrDefault(requested, requested);
	}

	boolean offloadsSyncHandlers() {
		return this.syncHandlerScheduler != null;
	}

	boolean hasObservers() {
		return !this.observers.isEmpty();
	}

	void observe(LlmRunRecord record) {
		for (CallbackObserver observer : this.observers) {
			try {
				observer.onLlmRun(record);
			}
			catch (RuntimeException ex) {
				logger.warn("Error in callback observer {}: {}", observer.getClass().getName(), ex.toString(), ex);
			}
		}
	}

	/**
	 * Delivers {@code event} to every handler of {@code run} that listens to
	 * {@code kind}. Synchronous handlers have been called when this returns; the result
	 * completes when the asynchronous ones have ({@code null}: there were none). A
	 * handler failure that must fail the call is thrown (sync) or signalled (async).
	 */
	@Nullable Mono<Void> dispatch(Run run, EventKind kind, CallbackEvent event) {
		HandlerEntry[] entries = run.handlers.entries;
		boolean offload = run.reactive && this.syncHandlerScheduler != null;
		List<Mono<Void>> pending = null;
		List<HandlerEntry> offloaded = null;
		RuntimeException raised = null;
		for (HandlerEntry entry : entries) {
			if (!entry.accepts(kind)) {
				continue;
			}
			if (entry.async) {
				if (pending == null) {
					pending = new ArrayList<>(2);
				}
				pending.add(invokeAsync(entry, kind, event));
			}
			else if (offload) {
				if (offloaded == null) {
					offloaded = new ArrayList<>(2);
				}
				offloaded.add(entry);
			}
			else {
				RuntimeException failure = invokeSync(entry, kind, event);
				if (failure != null && raised == null) {
					raised = failure;
				}
			}
		}
		if (offloaded != null) {
			if (pending == null) {
				pending = new ArrayList<>(1);
			}
			pending.add(offload(offloaded, kind, event));
		}
		if (raised != null) {
			if (pending == null) {
				throw raised;
			}
			RuntimeException error = raised;
			return Mono.whenDelayError(pending).then(Mono.error(error));
		}
		if (pending == null) {
			return null;
		}
		return (pending.size() == 1) ? pending.get(0) : Mono.whenDelayError(pending);
	}

	// Every handler gets the event even when an earlier one raised; the first raised
	// error fails the call after.
	private @Nullable RuntimeException invokeSync(HandlerEntry entry, EventKind kind, CallbackEvent event) {
		try {
			kind.invoke((CallbackHandler) entry.handler, event);
			return null;
		}
		catch (Throwable ex) {
			Exceptions.throwIfJvmFatal(ex);
			return failed(entry, kind, ex);
		}
	}

	private Mono<Void> invokeAsync(HandlerEntry entry, EventKind kind, CallbackEvent event) {
		Mono<Void> result;
		try {
			result = kind.invoke((AsyncCallbackHandler) entry.handler, event);
		}
		catch (Throwable ex) {
			Exceptions.throwIfJvmFatal(ex);
			RuntimeException raised = failed(entry, kind, ex);
			return (raised != null) ? Mono.error(raised) : Mono.empty();
		}
		if (result == null) {
			return Mono.empty();
		}
		return result
			.timeout(this.asyncTimeout,
					Mono.defer(() -> Mono.error(new TimeoutException(
							entry.name() + "." + kind.methodName + " did not complete within " + this.asyncTimeout))))
			.onErrorResume(ex -> {
				RuntimeException raised = failed(entry, kind, ex);
				return (raised != null) ? Mono.error(raised) : Mono.empty();
			});
	}

	private Mono<Void> offload(List<HandlerEntry> entries, EventKind kind, CallbackEvent event) {
		Scheduler scheduler = this.syncHandlerScheduler;
		Assert.state(scheduler != null, "no sync-handler scheduler");
		return Mono.<Void>fromRunnable(() -> {
			RuntimeException raised = null;
			for (HandlerEntry entry : entries) {
				RuntimeException failure = invokeSync(entry, kind, event);
				if (failure != null && raised == null) {
					raised = failure;
				}
			}
			if (raised != null) {
				throw raised;
			}
		}).subscribeOn(scheduler).onErrorResume(ex -> {
			// A saturated scheduler rejects the task: that is a failure of these
			// handlers, not of the chat.
			if (ex instanceof java.util.concurrent.RejectedExecutionException) {
				RuntimeException raised = null;
				for (HandlerEntry entry : entries) {
					RuntimeException failure = failed(entry, kind, ex);
					if (failure != null && raised == null) {
						raised = failure;
					}
				}
				return (raised != null) ? Mono.error(raised) : Mono.empty();
			}
			return Mono.error(ex);
		});
	}

	/**
	 * Logs and reports a handler failure; returns what to throw when the handler raises
	 * errors.
	 */
	private @Nullable RuntimeException failed(HandlerEntry entry, EventKind kind, Throwable error) {
		logger.warn("Error in {}.{} callback: {}", entry.name(), kind.methodName, error.toString(), error);
		for (CallbackObserver observer : this.observers) {
			try {
				observer.onHandlerError(entry.name(), kind.methodName, error);
			}
			catch (RuntimeException ex) {
				logger.warn("Error in callback observer {}: {}", observer.getClass().getName(), ex.toString(), ex);
			}
		}
		if (!entry.raiseError) {
			return null;
		}
		if (error instanceof RuntimeException runtime) {
			return runtime;
		}
		return new CallbackHandlerException(entry.name() + "." + kind.methodName + " failed: " + error.getMessage(),
				error);
	}

	/**
	 * Waits for what a lifecycle method left pending for async handlers. Only for
	 * blocking calls ({@code call()}, tools): the caller's thread waits for the model
	 * anyway, so waiting for async handlers there costs no extra thread. Streams compose
	 * the {@code Mono} instead.
	 */
	public static void await(Mono<Void> pending) {
		if (pending != Mono.<Void>empty()) {
			pending.block();
		}
	}

	/** Builds a {@link CallbackManager}. */
	public static final class Builder {

		private final List<BaseCallbackHandler> handlers = new ArrayList<>();

		private final List<CallbackObserver> observers = new ArrayList<>();

		private ModelPrices prices = ModelPrices.defaults();

		private Duration asyncTimeout = DEFAULT_ASYNC_TIMEOUT;

		private @Nullable Scheduler syncHandlerScheduler;

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
		 * awaited like an async handler.
		 */
		public Builder syncHandlerScheduler(@Nullable Scheduler scheduler) {
			this.syncHandlerScheduler = scheduler;
			return this;
		}

		public CallbackManager build() {
			return new CallbackManager(this);
		}

	}

}
