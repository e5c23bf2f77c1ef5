package dev.callbacks.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

import dev.callbacks.AsyncCallbackHandler;
import dev.callbacks.CallbackHandler;
import dev.callbacks.CallbackHandlerException;
import dev.callbacks.CallbackObserver;
import dev.callbacks.event.CallbackEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * Delivers one event to the handlers of a run: synchronous handlers in order on the
 * calling thread (or, for reactive runs with a sync-handler scheduler, on that
 * scheduler), asynchronous ones subscribed together, bounded by a timeout. A failing
 * handler is logged at WARN, reported to the observers, and ignored unless it raises
 * errors.
 */
public final class Dispatcher {

	private static final Logger logger = LoggerFactory.getLogger(Dispatcher.class);

	private static final Retry SATURATED = Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(1))
		.maxBackoff(Duration.ofMillis(20))
		.filter(RejectedExecutionException.class::isInstance);

	private final List<CallbackObserver> observers;

	private final Duration asyncTimeout;

	private final @Nullable Scheduler syncHandlerScheduler;

	Dispatcher(List<CallbackObserver> observers, Duration asyncTimeout, @Nullable Scheduler syncHandlerScheduler) {
		this.observers = observers;
		this.asyncTimeout = asyncTimeout;
		this.syncHandlerScheduler = syncHandlerScheduler;
	}

	boolean offloadsSyncHandlers() {
		return this.syncHandlerScheduler != null;
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
				Mono<Void> call = invokeAsync(run.chain(), entry, kind, event);
				if (call != null) {
					pending.add(call);
				}
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
	// error fails the call after. Whatever a handler throws is isolated,
	// StackOverflowError
	// and OutOfMemoryError included (LangChain catches RecursionError and MemoryError
	// too): rethrowing an Error from inside a Reactor operator leaves the subscriber
	// hanging, which is worse than the handler's failure.
	private @Nullable RuntimeException invokeSync(HandlerEntry entry, EventKind kind, CallbackEvent event) {
		try {
			kind.invokeSync((CallbackHandler) entry.handler, event);
			return null;
		}
		catch (Throwable ex) {
			return failed(entry, kind, ex);
		}
	}

	// Null when the handler has used up its time in this run tree: a hung handler is
	// waited for once per run tree, not once per event.
	private @Nullable Mono<Void> invokeAsync(ChainRun chain, HandlerEntry entry, EventKind kind, CallbackEvent event) {
		long timeoutNanos = this.asyncTimeout.toNanos();
		long budget = chain.asyncBudgetNanos(entry, timeoutNanos);
		if (budget <= 0) {
			return null;
		}
		Mono<Void> result;
		try {
			result = kind.invokeAsync((AsyncCallbackHandler) entry.handler, event);
		}
		catch (Throwable ex) {
			RuntimeException raised = failed(entry, kind, ex);
			return (raised != null) ? Mono.error(raised) : Mono.empty();
		}
		if (result == null) {
			// The contract is a Mono; null is a handler bug, not a success.
			RuntimeException raised = failed(entry, kind, new NullPointerException(
					entry.name() + "." + kind.methodName + " returned null instead of a Mono"));
			return (raised != null) ? Mono.error(raised) : Mono.empty();
		}
		Mono<Void> call = result;
		return Mono.defer(() -> {
			long started = System.nanoTime();
			return call
				.timeout(Duration.ofNanos(budget),
						Mono.defer(() -> Mono.error(new TimeoutException(
								entry.name() + "." + kind.methodName + " did not complete within " + this.asyncTimeout
										+ " (its time for the whole run); " + "it gets no more events of this run"))))
				// Counted before the signal travels on (doFinally would run after the
				// next
				// event was already dispatched with the old budget).
				.doOnTerminate(() -> chain.asyncWaited(entry, System.nanoTime() - started))
				.doOnCancel(() -> chain.asyncWaited(entry, System.nanoTime() - started));
		}).onErrorResume(ex -> {
			RuntimeException raised = failed(entry, kind, ex);
			return (raised != null) ? Mono.error(raised) : Mono.empty();
		});
	}

	private Mono<Void> offload(List<HandlerEntry> entries, EventKind kind, CallbackEvent event) {
		Scheduler scheduler = this.syncHandlerScheduler;
		if (scheduler == null) {
			throw new IllegalStateException("no sync-handler scheduler");
		}
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
		})
			.subscribeOn(scheduler)
			// A saturated scheduler rejects the task: the event is offered again until it
			// is taken, so the stream slows down instead of its handlers missing (or
			// reordering) events; the queue bounds memory, not delivery.
			.retryWhen(SATURATED);
	}

	/**
	 * Logs and reports a handler failure; returns what to throw when the handler raises
	 * errors.
	 */
	private @Nullable RuntimeException failed(HandlerEntry entry, EventKind kind, Throwable error) {
		logger.warn("Error in {}.{} callback: {}", entry.name(), kind.methodName, error.toString(), error);
		Observers.tell(this.observers, logger,
				(observer) -> observer.onHandlerError(entry.name(), kind.methodName, error));
		if (!entry.raiseError) {
			return null;
		}
		if (error instanceof RuntimeException runtime) {
			return runtime;
		}
		return new CallbackHandlerException(entry.name() + "." + kind.methodName + " failed: " + error, error);
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

}
