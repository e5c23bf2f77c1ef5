package dev.callbacks.ai;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.callbacks.CallbackManager;
import dev.callbacks.internal.RunFactory;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.support.AopUtils;

/**
 * Makes each provider call of a proxied {@link EmbeddingModel} bean an embedding run.
 * <p>
 * Every {@code embed(...)} method of Spring AI's interface ends in
 * {@code call(EmbeddingRequest)}, but as a call of the model on itself, which a proxy
 * does not see. So an {@code embed(...)} method the model inherits from the interface is
 * run on the proxy instead, and each of its requests (one per batch when indexing) is a
 * run with the usage the provider reported. A method the model implements itself (such as
 * {@code OpenAiEmbeddingModel.embed(Document)}) is one run whose usage is estimated from
 * its input with JTokkit, flagged estimated. {@code dimensions()}, which may probe the
 * provider once, is not observed.
 */
public final class EmbeddingModelInterceptor implements MethodInterceptor {

	private static final Map<Method, MethodHandle> DEFAULT_METHODS = new ConcurrentHashMap<>();

	private final Supplier<RunFactory> runs;

	private volatile @Nullable RunFactory factory;

	/**
	 * An interceptor whose calls outside any run go to the global handlers, trackers and
	 * observers of {@code manager} (looked up on first use; none: no global handlers and
	 * bundled prices).
	 */
	public EmbeddingModelInterceptor(Supplier<@Nullable CallbackManager> manager) {
		this.runs = () -> {
			RunFactory result = this.factory;
			if (result == null) {
				CallbackManager found = manager.get();
				result = (found != null) ? RunFactory.of(found) : RunFactory.standalone();
				this.factory = result;
			}
			return result;
		};
	}

	/** Whether {@code method} is an embedding method this interceptor observes. */
	public static boolean isEmbedding(Method method) {
		Class<?>[] parameters = method.getParameterTypes();
		return switch (method.getName()) {
			// call(ModelRequest) too: the bridge that generic Model<...> callers reach.
			case "call" -> parameters.length == 1 && parameters[0].isAssignableFrom(EmbeddingRequest.class);
			case "embed", "embedForResponse" -> parameters.length >= 1;
			default -> false;
		};
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Method method = invocation.getMethod();
		Object[] arguments = invocation.getArguments();
		Object target = invocation.getThis();
		if (!isEmbedding(method) || target == null) {
			return invocation.proceed();
		}
		if (method.getName().equals("call")) {
			if (!(arguments[0] instanceof EmbeddingRequest request)) {
				return invocation.proceed();
			}
			return EmbeddingCalls.call(this.runs, target, request,
					() -> (EmbeddingResponse) Invocations.proceed(invocation));
		}
		MethodHandle inherited = inheritedDefault(AopUtils.getTargetClass(target), method);
		if (inherited != null && invocation instanceof ProxyMethodInvocation proxied) {
			// Its call(EmbeddingRequest) then goes through the proxy, one run per
			// request.
			Object proxy = proxied.getProxy();
			return invokeOn(inherited, proxy, arguments);
		}
		if (arguments.length == 0 || !(arguments[0] instanceof String || arguments[0] instanceof Document
				|| arguments[0] instanceof List<?>)) {
			return invocation.proceed();
		}
		return EmbeddingCalls.estimated(this.runs, target, () -> inputsOf(target, arguments[0]),
				() -> Invocations.proceed(invocation), EmbeddingModelInterceptor::vectors);
	}

	// The interface's default body of method, when the model's class does not override
	// it; null otherwise (or when it cannot be reached).
	private static @Nullable MethodHandle inheritedDefault(Class<?> targetClass, Method method) {
		Method implementation;
		try {
			implementation = targetClass.getMethod(method.getName(), method.getParameterTypes());
		}
		catch (NoSuchMethodException ex) {
			return null;
		}
		if (!implementation.isDefault() || implementation.getDeclaringClass() != EmbeddingModel.class) {
			return null;
		}
		MethodHandle found = DEFAULT_METHODS.get(implementation);
		if (found != null) {
			return found;
		}
		try {
			MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(EmbeddingModel.class, MethodHandles.lookup());
			found = lookup.findSpecial(EmbeddingModel.class, implementation.getName(),
					MethodType.methodType(implementation.getReturnType(), implementation.getParameterTypes()),
					EmbeddingModel.class);
		}
		catch (ReflectiveOperationException | SecurityException ex) {
			return null;
		}
		DEFAULT_METHODS.putIfAbsent(implementation, found);
		return found;
	}

	private static @Nullable Object invokeOn(MethodHandle handle, Object proxy, Object[] arguments) throws Throwable {
		Object[] all = new Object[arguments.length + 1];
		all[0] = proxy;
		System.arraycopy(arguments, 0, all, 1, arguments.length);
		return handle.invokeWithArguments(all);
	}

	private static List<String> inputsOf(Object target, Object first) {
		if (first instanceof String text) {
			return List.of(text);
		}
		if (first instanceof Document document) {
			return List.of(contentOf(target, document));
		}
		List<String> inputs = new ArrayList<>();
		if (first instanceof List<?> list) {
			for (Object element : list) {
				if (element instanceof String text) {
					inputs.add(text);
				}
				else if (element instanceof Document document) {
					inputs.add(contentOf(target, document));
				}
			}
		}
		return inputs;
	}

	private static String contentOf(Object target, Document document) {
		if (target instanceof EmbeddingModel model) {
			String content = model.getEmbeddingContent(document);
			if (content != null) {
				return content;
			}
		}
		String text = document.getText();
		return (text != null) ? text : "";
	}

	private static Integer vectors(@Nullable Object result) {
		if (result instanceof float[]) {
			return 1;
		}
		if (result instanceof List<?> list) {
			return list.size();
		}
		if (result instanceof EmbeddingResponse response) {
			return response.getResults().size();
		}
		return 0;
	}

}
