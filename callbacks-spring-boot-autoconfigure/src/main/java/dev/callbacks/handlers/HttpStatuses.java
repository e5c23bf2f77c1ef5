package dev.callbacks.handlers;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * The HTTP status an exception carries by its type, read without its message: the
 * provider SDKs' {@code int statusCode()} (OpenAI, Anthropic) and Spring's
 * {@code getStatusCode()} (an {@code HttpStatusCode}, or an {@code int}). Looked up by
 * reflection, so that no provider or web library is needed on the class path.
 */
final class HttpStatuses {

	private static final ClassValue<@Nullable Method> accessors = new ClassValue<>() {
		@Override
		protected @Nullable Method computeValue(Class<?> type) {
			Method method = publicNoArg(type, "statusCode");
			return (method != null) ? method : publicNoArg(type, "getStatusCode");
		}
	};

	private HttpStatuses() {
	}

	/**
	 * The HTTP status of {@code error} or of its nearest cause that has one, or
	 * {@code null}.
	 */
	static @Nullable Integer of(Throwable error) {
		int depth = 0;
		for (Throwable t = error; t != null && depth < 10; t = t.getCause(), depth++) {
			Integer status = statusOf(t);
			if (status != null) {
				return status;
			}
		}
		return null;
	}

	private static @Nullable Integer statusOf(Throwable error) {
		Method accessor = accessors.get(error.getClass());
		if (accessor == null) {
			return null;
		}
		try {
			Object value = accessor.invoke(error);
			if (value instanceof Integer status) {
				return plausible(status);
			}
			if (value != null) {
				// Spring's HttpStatusCode
				Method valueMethod = publicNoArg(value.getClass(), "value");
				if (valueMethod != null && valueMethod.invoke(value) instanceof Integer status) {
					return plausible(status);
				}
			}
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			// Not a status after all.
		}
		return null;
	}

	private static @Nullable Integer plausible(int status) {
		return (status >= 100 && status <= 599) ? status : null;
	}

	// Public, on a public type (the interface or superclass that declares it when the
	// class itself is not public, as Spring's HttpStatusCode implementations), so that it
	// can be called without opening anything.
	private static @Nullable Method publicNoArg(Class<?> type, String name) {
		try {
			Method method = ClassUtils.getPubliclyAccessibleMethodIfPossible(type.getMethod(name), type);
			Class<?> returnType = method.getReturnType();
			if (returnType == void.class || (returnType.isPrimitive() && returnType != int.class)) {
				return null;
			}
			if (!Modifier.isPublic(method.getDeclaringClass().getModifiers())) {
				return null;
			}
			return method;
		}
		catch (NoSuchMethodException | SecurityException ex) {
			return null;
		}
	}

}
