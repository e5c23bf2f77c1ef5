package dev.callbacks;

import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Lets Micrometer context-propagation carry the open {@link UsageTracker} into Reactor
 * pipelines ({@code contextCapture()}, automatic context propagation) and
 * context-propagating executors. Registered through {@code META-INF/services}; not for
 * direct use.
 */
public final class UsageTrackerThreadLocalAccessor implements ThreadLocalAccessor<UsageTracker> {

	@Override
	public Object key() {
		return UsageTracker.CONTEXT_KEY;
	}

	@Override
	public @Nullable UsageTracker getValue() {
		return UsageTracker.current().orElse(null);
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

}
