package dev.callbacks.openai;

import java.lang.reflect.Method;

import reactor.core.publisher.Hooks;

/**
 * Reactor's automatic context propagation is a JVM-wide switch ({@code Hooks}) that a
 * Spring Boot context with {@code spring.reactor.context-propagation=auto} turns on and
 * never off. Tests that depend on it, either way, use this to know and to restore its
 * state, so that they leave the JVM as they found it.
 */
public final class ReactorHooks {

	private ReactorHooks() {
	}

	/**
	 * Whether automatic context propagation is on (Reactor has no public getter: read its
	 * internal flag).
	 */
	public static boolean automaticContextPropagation() {
		try {
			Class<?> support = Class.forName("reactor.core.publisher.ContextPropagationSupport");
			Method method = support.getDeclaredMethod("shouldPropagateContextToThreadLocals");
			method.setAccessible(true);
			return (boolean) method.invoke(null);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Cannot read Reactor's automatic context propagation flag", ex);
		}
	}

	/** Turns automatic context propagation on or off. */
	public static void automaticContextPropagation(boolean enabled) {
		if (enabled) {
			Hooks.enableAutomaticContextPropagation();
		}
		else {
			Hooks.disableAutomaticContextPropagation();
		}
	}

	/**
	 * Runs {@code action} with automatic context propagation on or off, then restores the
	 * previous state.
	 */
	public static void withAutomaticContextPropagation(boolean enabled, ThrowingRunnable action) throws Exception {
		boolean previous = automaticContextPropagation();
		automaticContextPropagation(enabled);
		try {
			action.run();
		}
		finally {
			automaticContextPropagation(previous);
		}
	}

	@FunctionalInterface
	public interface ThrowingRunnable {

		void run() throws Exception;

	}

}
