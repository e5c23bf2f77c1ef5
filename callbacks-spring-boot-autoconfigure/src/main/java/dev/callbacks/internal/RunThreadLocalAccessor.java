package dev.callbacks.internal;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Lets Micrometer context-propagation carry the current run across threads and Reactor
 * operators. Registered with the global {@link ContextRegistry} when a run is first made
 * current or put in a Reactor context, not through {@code META-INF/services}:
 * context-propagation saves, resets and restores every registered accessor in every
 * Reactor {@code handle()} and {@code tap()} of every streamed chunk of the application,
 * so an application in which nothing listens should not pay for this one. Not for direct
 * use.
 */
public final class RunThreadLocalAccessor implements ThreadLocalAccessor<Object> {

	/** Registers the accessor once; free after the first call. */
	public static void register() {
		Registration.done();
	}

	@Override
	public Object key() {
		return RunScope.CONTEXT_KEY;
	}

	@Override
	public @Nullable Object getValue() {
		return RunScope.current();
	}

	@Override
	public void setValue(Object value) {
		RunScope.set((Run) value);
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
		RunScope.set(null);
	}

	// The JVM runs a class's initializer once, thread-safely; afterwards the call is
	// free.
	private static final class Registration {

		static {
			ContextRegistry.getInstance().registerThreadLocalAccessor(new RunThreadLocalAccessor());
		}

		private Registration() {
		}

		static void done() {
		}

	}

}
