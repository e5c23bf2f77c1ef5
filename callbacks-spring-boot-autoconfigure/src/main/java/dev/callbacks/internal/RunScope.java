package dev.callbacks.internal;

import dev.callbacks.UsageTracker;
import dev.callbacks.UsageTrackerThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * The run the current thread works for, so that code called from inside a run (a tool, a
 * retriever, {@code Callbacks.dispatchCustomEvent}) finds its parent. Propagated across
 * threads and Reactor operators by Micrometer's context-propagation through
 * {@link RunThreadLocalAccessor}, registered when a run is first made current.
 */
final class RunScope {

	/** Reactor-context and context-propagation key of the current run. */
	static final String CONTEXT_KEY = "dev.callbacks.run";

	private static final ThreadLocal<Run> CURRENT = new ThreadLocal<>();

	// The tracker's own thread-local hook: the engine makes a run's tracker current
	// through it, as context propagation does.
	private static final UsageTrackerThreadLocalAccessor TRACKERS = new UsageTrackerThreadLocalAccessor();

	private RunScope() {
	}

	static @Nullable Run current() {
		return CURRENT.get();
	}

	static void set(@Nullable Run run) {
		if (run == null) {
			CURRENT.remove();
		}
		else {
			CURRENT.set(run);
		}
	}

	static Run.Scope open(Run run) {
		// From here on code may capture the run for another thread.
		RunThreadLocalAccessor.register();
		Run previous = CURRENT.get();
		CURRENT.set(run);
		// Code of the run (a tool on a worker thread) that calls another ChatClient
		// counts in the same trackers.
		UsageTracker[] trackers = run.chain().trackers();
		if (trackers != null && UsageTracker.current().isEmpty()) {
			TRACKERS.setValue(trackers[0]);
			return () -> {
				set(previous);
				TRACKERS.restore();
			};
		}
		return () -> set(previous);
	}

}
