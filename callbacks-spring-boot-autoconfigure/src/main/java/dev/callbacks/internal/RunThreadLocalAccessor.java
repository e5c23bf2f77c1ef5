package dev.callbacks.internal;

import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Lets Micrometer context-propagation carry the current run across threads and Reactor
 * operators. Registered through {@code META-INF/services}; not for direct use.
 */
public final class RunThreadLocalAccessor implements ThreadLocalAccessor<Object> {

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

}
