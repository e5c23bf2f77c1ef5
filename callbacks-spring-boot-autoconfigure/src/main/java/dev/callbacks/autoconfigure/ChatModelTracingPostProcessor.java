package dev.callbacks.autoconfigure;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import dev.callbacks.ai.ModelRoundInterceptor;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;

/**
 * Proxies {@code ChatModel} beans so that each model round inside a {@code ChatClient}
 * call is an LLM run, observed at the model rather than in the advisor chain. Class-based
 * proxies keep the bean's own type ({@code OpenAiChatModel}, ...) injectable. A final
 * model class cannot be proxied that way: it is left alone, and clients then get the LLM
 * advisor instead ({@link #tracesEveryModel()}).
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
		if (bean instanceof ChatModel && !isTraced(result)) {
			this.untracedModel = true;
		}
		return result;
	}

	private boolean isTraced(Object bean) {
		if (!(bean instanceof Advised advised)) {
			return false;
		}
		for (org.springframework.aop.Advisor candidate : advised.getAdvisors()) {
			if (candidate.getAdvice() instanceof ModelRoundInterceptor) {
				return true;
			}
		}
		return false;
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
