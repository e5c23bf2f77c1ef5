package dev.callbacks.web;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.callbacks.UsageTracker;
import dev.callbacks.UsageTrackerThreadLocalAccessor;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.async.CallableProcessingInterceptor;
import org.springframework.web.context.request.async.WebAsyncUtils;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Gives every Spring MVC request its own {@link UsageTracker}, current on the threads
 * that handle the request, and records the request's total once, when it ends. (The
 * {@code LLM-Usage} header is written by {@link UsageHeaderResponseBodyAdvice}, just
 * before the body, while the response is still open.)
 * <p>
 * An async request (a handler that returns {@code Mono}, {@code Flux}, {@code Callable},
 * {@code DeferredResult}...) ends when its async processing completes, not when the
 * request thread leaves this filter: it is recorded then. The tracker is current on the
 * request thread, in async dispatches, and in the thread that runs a {@code Callable};
 * Spring MVC carries it into the Reactor context of a returned {@code Mono} or
 * {@code Flux}, where {@code stream()} finds it.
 */
public final class UsageTrackingServletFilter extends OncePerRequestFilter implements Ordered {

	private static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

	private static final String INTERCEPTOR_KEY = UsageTrackingServletFilter.class.getName() + ".callable";

	private static final UsageTrackerThreadLocalAccessor threadLocal = new UsageTrackerThreadLocalAccessor();

	private final RequestUsage.@Nullable Recorder recorder;

	public UsageTrackingServletFilter(RequestUsage.@Nullable Recorder recorder) {
		this.recorder = recorder;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	// Async dispatches too: the tracker is made current there, and the request is
	// recorded when its last dispatch has completed.
	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		UsageTracker tracker = (isAsyncDispatch(request)
				&& request.getAttribute(RequestUsage.ATTRIBUTE) instanceof UsageTracker existing) ? existing : null;
		if (tracker == null) {
			tracker = UsageTracker.detached(UsageTracker.current().orElse(null));
			request.setAttribute(RequestUsage.ATTRIBUTE, tracker);
			WebAsyncUtils.getAsyncManager(request)
				.registerCallableInterceptor(INTERCEPTOR_KEY, new CurrentInCallable());
		}
		Scope scope = current(tracker);
		try {
			chain.doFilter(request, response);
		}
		finally {
			scope.close();
			if (request.isAsyncStarted()) {
				RecordOnCompletion listener = new RecordOnCompletion(request, tracker);
				if (listener.register()) {
					request.getAsyncContext().addListener(listener);
				}
			}
			else if (!isAsyncDispatch(request)) {
				record(request, tracker);
			}
			// After an async dispatch that did not start async again, the listener
			// registered when async started records the request.
		}
	}

	private void record(HttpServletRequest request, UsageTracker tracker) {
		tracker.close();
		if (this.recorder != null && RequestUsage.used(tracker)) {
			Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
			this.recorder.record((pattern != null) ? pattern.toString() : RequestUsage.UNKNOWN_URI, tracker);
		}
	}

	// The tracker current on this thread until the scope closes, the previous one (if
	// any) current again then.
	private static Scope current(UsageTracker tracker) {
		UsageTracker previous = threadLocal.getValue();
		threadLocal.setValue(tracker);
		return () -> {
			if (previous != null) {
				threadLocal.setValue(previous);
			}
			else {
				threadLocal.restore();
			}
		};
	}

	@FunctionalInterface
	private interface Scope extends AutoCloseable {

		@Override
		void close();

	}

	/**
	 * Makes the request's tracker current in the thread that runs a handler's
	 * {@code Callable} (MVC's task executor does not carry thread-locals over).
	 */
	private static final class CurrentInCallable implements CallableProcessingInterceptor {

		// Set and closed on the thread that runs the Callable, one Callable at a time.
		private volatile @Nullable Scope scope;

		@Override
		public <T> void preProcess(NativeWebRequest request, Callable<T> task) {
			if (request.getAttribute(RequestUsage.ATTRIBUTE,
					NativeWebRequest.SCOPE_REQUEST) instanceof UsageTracker tracker) {
				this.scope = current(tracker);
			}
		}

		@Override
		public <T> void postProcess(NativeWebRequest request, Callable<T> task, @Nullable Object result) {
			Scope current = this.scope;
			if (current != null) {
				this.scope = null;
				current.close();
			}
		}

	}

	/**
	 * Records the request once its async processing is over: on completion, which the
	 * container signals after a timeout or error too.
	 */
	private final class RecordOnCompletion implements AsyncListener {

		private static final String REGISTERED = RecordOnCompletion.class.getName() + ".registered";

		private final HttpServletRequest request;

		private final UsageTracker tracker;

		private final AtomicBoolean recorded = new AtomicBoolean();

		RecordOnCompletion(HttpServletRequest request, UsageTracker tracker) {
			this.request = request;
			this.tracker = tracker;
		}

		// One listener per request: an async dispatch that starts async again finds the
		// listener re-registered by onStartAsync.
		boolean register() {
			if (this.request.getAttribute(REGISTERED) != null) {
				return false;
			}
			this.request.setAttribute(REGISTERED, Boolean.TRUE);
			return true;
		}

		@Override
		public void onComplete(AsyncEvent event) {
			if (this.recorded.compareAndSet(false, true)) {
				record(this.request, this.tracker);
			}
		}

		@Override
		public void onTimeout(AsyncEvent event) {
		}

		@Override
		public void onError(AsyncEvent event) {
		}

		// A new async cycle drops the listeners of the previous one.
		@Override
		public void onStartAsync(AsyncEvent event) {
			event.getAsyncContext().addListener(this);
		}

	}

}
