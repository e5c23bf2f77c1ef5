package dev.callbacks.ai;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.document.Document;
import org.springframework.aop.support.AopUtils;
import org.springframework.util.ClassUtils;

/**
 * Turns a retrieval method call ({@code DocumentRetriever.retrieve(Query)},
 * {@code VectorStore.similaritySearch(
 * SearchRequest)}) on a proxied bean into a retriever run, with the query (and the
 * request context, if any) read from the argument.
 */
public final class RetrievalInterceptor implements MethodInterceptor {

	private final RetrievalArgument argument;

	public RetrievalInterceptor(RetrievalArgument argument) {
		this.argument = argument;
	}

	@Override
	@SuppressWarnings("unchecked")
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Object[] arguments = invocation.getArguments();
		Method method = invocation.getMethod();
		if (arguments.length != 1 || !List.class.isAssignableFrom(method.getReturnType())) {
			return invocation.proceed();
		}
		Object target = invocation.getThis();
		String name = (target != null) ? ClassUtils.getUserClass(AopUtils.getTargetClass(target)).getSimpleName()
				: method.getDeclaringClass().getSimpleName();
		String query = this.argument.query(arguments[0]);
		Throwable[] checked = new Throwable[1];
		List<Document> documents = Retrievals.traced(name, (query != null) ? query : "",
				this.argument.context(arguments[0]), () -> {
					try {
						return (List<Document>) invocation.proceed();
					}
					catch (RuntimeException | Error ex) {
						throw ex;
					}
					catch (Throwable ex) {
						checked[0] = ex;
						throw new IllegalStateException(ex);
					}
				});
		if (checked[0] != null) {
			throw checked[0];
		}
		return documents;
	}

	/** Reads a retrieval method's argument. */
	public interface RetrievalArgument {

		/** The query text. */
		@Nullable String query(@Nullable Object argument);

		/** The advisor context the retrieval carries, if any. */
		default @Nullable Map<String, ? extends @Nullable Object> context(@Nullable Object argument) {
			return null;
		}

	}

}
