package dev.callbacks.ai;

import java.lang.reflect.UndeclaredThrowableException;

import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

/** What the interceptors of Spring AI's beans share. */
final class Invocations {

	private Invocations() {
	}

	/**
	 * Proceeds with {@code invocation} from code that cannot throw {@code Throwable}: the
	 * target's own unchecked exceptions and errors pass through unchanged;
	 * {@link MethodInvocation} only declares {@code Throwable}.
	 */
	static @Nullable Object proceed(MethodInvocation invocation) {
		try {
			return invocation.proceed();
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new UndeclaredThrowableException(ex);
		}
	}

}
