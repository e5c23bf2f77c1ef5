package dev.callbacks.autoconfigure;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import dev.callbacks.CallbackManager;
import dev.callbacks.ai.EmbeddingModelInterceptor;

import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Proxies {@code EmbeddingModel} beans so that each embedding call is an embedding run: a
 * child of the retrieval (or chain) it is made from, or a root run when made outside any
 * (indexing at start-up). Class-based proxies keep the bean's own type
 * ({@code OpenAiEmbeddingModel}, ...) injectable; a final model class cannot be proxied
 * that way and is left alone (its calls are then not seen).
 */
final class EmbeddingModelTracingPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

	private static final long serialVersionUID = 1L;

	// Lazy: a post-processor is created before most beans, the manager (and the handler
	// beans) must not be; the manager is looked up on the first embedding call.
	EmbeddingModelTracingPostProcessor(ObjectProvider<CallbackManager> callbackManager) {
		StaticMethodMatcherPointcut pointcut = new StaticMethodMatcherPointcut() {
			@Override
			public boolean matches(Method method, Class<?> targetClass) {
				return EmbeddingModelInterceptor.isEmbedding(method);
			}
		};
		pointcut.setClassFilter(
				type -> EmbeddingModel.class.isAssignableFrom(type) && !Modifier.isFinal(type.getModifiers()));
		this.advisor = new DefaultPointcutAdvisor(pointcut,
				new EmbeddingModelInterceptor(callbackManager::getIfAvailable));
		setProxyTargetClass(true);
		// Around the outermost proxy, after other advisors have wrapped the bean.
		setBeforeExistingAdvisors(false);
	}

}
