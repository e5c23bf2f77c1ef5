package dev.callbacks.autoconfigure;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import dev.callbacks.ai.ModelRoundInterceptor;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;

/**
 * Proxies {@code ChatModel} beans so that each model round inside a {@code ChatClient}
 * call is an LLM run, observed at the model rather than in the advisor chain. Class-based
 * proxies keep the bean's own type injectable. A final model class (Spring AI 2.0.1's
 * {@code OpenAiChatModel}) cannot be proxied that way: its bean is left alone, the
 * auto-configured builder traces it inside its clients
 * ({@link TracedModelChatClientBuilder}), and other builders configured with the
 * callbacks' customizer get the LLM advisor ({@link #tracesEveryModel()}).
 */
final class ChatModelTracingPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

	private static final long serialVersionUID = 1L;

	private volatile boolean untracedModel;

	ChatModelTracingPostProcessor() {
		StaticMethodMatcherPointcut pointcut = new StaticMethodMatcherPointcut() {
			@Override
			public boolean matches(Method method, Class<?> targetClass) {
				return ModelRoundInterceptor.isRound(method);
			}
		};
		pointcut
			.setClassFilter(type -> ChatModel.class.isAssignableFrom(type) && !Modifier.isFinal(type.getModifiers()));
		this.advisor = new DefaultPointcutAdvisor(pointcut, new ModelRoundInterceptor());
		setProxyTargetClass(true);
		// Around the outermost proxy, after other advisors have wrapped the bean.
		setBeforeExistingAdvisors(false);
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Object result = super.postProcessAfterInitialization(bean, beanName);
		if (bean instanceof ChatModel && !ModelRoundInterceptor.isTraced(result)) {
			this.untracedModel = true;
		}
		return result;
	}

	/**
	 * Whether every {@code ChatModel} bean created so far observes its own rounds. The
	 * auto-configured {@code ChatClient.Builder} is made from one of them, after they
	 * exist.
	 */
	boolean tracesEveryModel() {
		return !this.untracedModel;
	}

}
