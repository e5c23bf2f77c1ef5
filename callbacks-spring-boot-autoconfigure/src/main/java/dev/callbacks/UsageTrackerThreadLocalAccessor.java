package dev.callbacks;

import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Lets Micrometer context-propagation carry the open {@link UsageTracker} into Reactor pipelines
 * ({@code contextCapture()}, automatic context propagation) and context-propagating executors. Registered through
 * {@code META-INF/services}; not for direct use.
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

	@Override
	public void setValue() {
		UsageTracker.makeCurrent(null);
	}

}
