package dev.callbacks;

import org.jspecify.annotations.Nullable;

/**
 * The run the current thread works for, so that code called from inside a run (a tool, a
 * retriever, {@link Callbacks#dispatchCustomEvent}) finds its parent. Propagated across
 * threads and Reactor operators by Micrometer's context-propagation through
 * {@link RunThreadLocalAccessor}.
 */
final class RunScope {

	/** Reactor-context and context-propagation key of the current run. */
	static final String CONTEXT_KEY = Run.CONTEXT_KEY;

	private static final ThreadLocal<Run> CURRENT = new ThreadLocal<>();

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
		Run previous = CURRENT.get();
		CURRENT.set(run);
		// Code of the run (a tool on a worker thread) that calls another ChatClient
		// counts in the same trackers.
		UsageTracker[] trackers = run.chain().trackers();
		if (trackers != null && UsageTracker.currentOrNull() == null) {
			UsageTracker.makeCurrent(trackers[0]);
			return () -> {
				set(previous);
				UsageTracker.makeCurrent(null);
			};
		}
		return () -> set(previous);
	}

}
