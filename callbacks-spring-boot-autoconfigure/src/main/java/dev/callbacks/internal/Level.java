package dev.callbacks.internal;

import java.util.ArrayList;
import java.util.List;

import dev.callbacks.BaseCallbackHandler;
import dev.callbacks.CallbackConfig;

import org.springframework.core.annotation.AnnotationAwareOrderComparator;

/**
 * One applied {@link CallbackConfig} as the engine uses it: its handlers worked out once
 * (interests, async or not), in {@code @Order} order.
 */
public final class Level {

	final CallbackConfig.Snapshot config;

	final HandlerSet handlers;

	private Level(CallbackConfig.Snapshot config, HandlerSet handlers) {
		this.config = config;
		this.handlers = handlers;
	}

	/** The engine's view of {@code config}. */
	public static Level of(CallbackConfig.Snapshot config) {
		List<BaseCallbackHandler> sorted = new ArrayList<>(config.handlers());
		AnnotationAwareOrderComparator.sort(sorted);
		return new Level(config, HandlerSet.of(sorted));
	}

	/** When the level was applied: a client's level before its requests'. */
	public long sequence() {
		return this.config.sequence();
	}

	@Override
	public String toString() {
		return "CallbackLevel#" + this.config.sequence();
	}

}
