package dev.callbacks.internal;

import java.util.List;
import java.util.function.Consumer;

import dev.callbacks.CallbackObserver;
import org.slf4j.Logger;

/**
 * Tells every observer of something, each on its own: one that throws is logged (under
 * the caller's logger) and the others are still told, and the run goes on.
 */
final class Observers {

	private Observers() {
	}

	static void tell(List<CallbackObserver> observers, Logger logger, Consumer<CallbackObserver> event) {
		for (CallbackObserver observer : observers) {
			try {
				event.accept(observer);
			}
			catch (RuntimeException ex) {
				logger.warn("Error in callback observer {}: {}", observer.getClass().getName(), ex.toString(), ex);
			}
		}
	}

}
