package dev.callbacks.internal;

import java.lang.reflect.Method;

import dev.callbacks.AsyncCallbackHandler;
import dev.callbacks.BaseCallbackHandler;
import dev.callbacks.CallbackHandler;

/**
 * A handler with what the dispatcher needs to know about it, worked out once per run
 * tree: which events it listens to (the methods its class overrides, minus the ignored
 * categories) and whether it is async.
 */
final class HandlerEntry {

	// Which event methods a class overrides. A handler that overrides only onLlmEnd costs
	// nothing per token.
	private static final ClassValue<Integer> OVERRIDDEN = new ClassValue<>() {
		@Override
		protected Integer computeValue(Class<?> type) {
			int mask = 0;
			for (EventKind kind : EventKind.values()) {
				if (overrides(type, kind)) {
					mask |= kind.bit;
				}
			}
			return mask;
		}
	};

	final BaseCallbackHandler handler;

	final boolean async;

	final int mask;

	final boolean raiseError;

	private HandlerEntry(BaseCallbackHandler handler, int mask) {
		this.handler = handler;
		this.async = handler instanceof AsyncCallbackHandler;
		this.mask = mask;
		this.raiseError = handler.raiseError();
	}

	static HandlerEntry of(BaseCallbackHandler handler) {
		int mask = OVERRIDDEN.get(handler.getClass());
		if (handler.ignoreLlm()) {
			mask &= ~EventKind.Category.LLM.mask();
		}
		if (handler.ignoreChain()) {
			mask &= ~EventKind.Category.CHAIN.mask();
		}
		if (handler.ignoreTool()) {
			mask &= ~EventKind.Category.TOOL.mask();
		}
		if (handler.ignoreRetriever()) {
			mask &= ~EventKind.Category.RETRIEVER.mask();
		}
		if (handler.ignoreEmbedding()) {
			mask &= ~EventKind.Category.EMBEDDING.mask();
		}
		if (handler.ignoreCustomEvent()) {
			mask &= ~EventKind.Category.CUSTOM.mask();
		}
		return new HandlerEntry(handler, mask);
	}

	boolean accepts(EventKind kind) {
		return (this.mask & kind.bit) != 0;
	}

	String name() {
		return this.handler.getClass().getName();
	}

	private static boolean overrides(Class<?> type, EventKind kind) {
		try {
			Method method = type.getMethod(kind.methodName, kind.eventType);
			Class<?> declaring = method.getDeclaringClass();
			return declaring != CallbackHandler.class && declaring != AsyncCallbackHandler.class;
		}
		catch (NoSuchMethodException | SecurityException ex) {
			// Unknown shape (a proxy we cannot introspect): deliver everything rather
			// than lose events.
			return true;
		}
	}

}
