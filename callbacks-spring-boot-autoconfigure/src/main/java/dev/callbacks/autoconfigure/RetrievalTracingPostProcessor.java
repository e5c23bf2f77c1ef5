package dev.callbacks.autoconfigure;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import dev.callbacks.ai.RetrievalInterceptor;

import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;

/**
 * Proxies retrieval beans ({@code DocumentRetriever}, {@code VectorStore}) so that each
 * retrieval made inside a {@code ChatClient} call is a retriever run. Class-based proxies
 * keep the bean's own type injectable; final classes cannot be proxied that way and are
 * left alone.
 */
final class RetrievalTracingPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

	private static final long serialVersionUID = 1L;

	RetrievalTracingPostProcessor(Class<?> retrieverType, String methodName, Class<?> argumentType,
			RetrievalInterceptor.RetrievalArgument argument) {
		StaticMethodMatcherPointcut pointcut = new StaticMethodMatcherPointcut() {
			@Override
			public boolean matches(Method method, Class<?> targetClass) {
				return method.getName().equals(methodName) && method.getParameterCount() == 1
						&& method.getParameterTypes()[0] == argumentType;
			}
		};
		pointcut.setClassFilter(type -> retrieverType.isAssignableFrom(type) && !Modifier.isFinal(type.getModifiers()));
		this.advisor = new DefaultPointcutAdvisor(pointcut, new RetrievalInterceptor(argument));
		setProxyTargetClass(true);
		// Run after other advisors (such as transactions) have wrapped the bean, around
		// the outermost proxy.
		setBeforeExistingAdvisors(false);
	}

}
