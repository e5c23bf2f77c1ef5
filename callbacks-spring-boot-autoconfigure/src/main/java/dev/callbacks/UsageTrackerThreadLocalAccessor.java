package dev.callbacks;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Lets Micrometer context-propagation carry the open {@link UsageTracker} into Reactor
 * pipelines ({@code contextCapture()}, automatic context propagation) and
 * context-propagating executors. Registered with the global {@link ContextRegistry} when
 * the first tracker is made, not through {@code META-INF/services}: context-propagation
 * saves, resets and restores every registered accessor in every Reactor {@code handle()}
 * and {@code tap()} of every streamed chunk of the application, so an application that
 * never opens a tracker should not pay for this one. Not for direct use.
 */
public final class UsageTrackerThreadLocalAccessor implements ThreadLocalAccessor<UsageTracker> {

	/** Registers the accessor once; free after the first call. */
	static void register() {
		Registration.done();
	}

	@Override
	public Object key() {
		return UsageTracker.CONTEXT_KEY;
	}

	@Override
	public @Nullable UsageTracker getValue() {
		return UsageTracker.currentOrNull();
	}

	@Override
	public void setValue(UsageTracker value) {
		UsageTracker.makeCurrent(value);
	}

	/**
	 * Nothing: a context without the key says nothing about this thread. Reactor's
	 * automatic propagation calls this when entering operators whose context lacks the
	 * key, which would otherwise hide the value opened on the very thread that
	 * subscribes.
	 */
	@Override
	public void setValue() {
	}

	@Override
	public void restore() {
		UsageTracker.makeCurrent(null);
	}

	// The JVM runs a class's initializer once, thread-safely; afterwards the call is
	// free.
	private static final class Registration {

		static {
			ContextRegistry.getInstance().registerThreadLocalAccessor(new UsageTrackerThreadLocalAccessor());
		}

		private Registration() {
		}

		static void done() {
		}

	}

}
