package dev.callbacks.ai;

import java.lang.reflect.Method;

import dev.callbacks.internal.ChainRun;
import dev.callbacks.internal.LlmRun;
import dev.callbacks.internal.Run;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.util.Assert;

/**
 * Makes each {@code call(Prompt)} and {@code stream(Prompt)} of a {@link ChatModel} made
 * inside a chain run an LLM run of it. Observing the round at the model, not in the
 * advisor chain, keeps the per-token work off Spring AI's stream advisor chain, which
 * aggregates every chunk and opens an observation for every advisor in it.
 * <p>
 * Outside a chain run (no callback advisor ran, or nothing listens), and when the round
 * already is an LLM run (a client that also has the {@link LlmRunAdvisor}), the model is
 * called as it is.
 */
public final class ModelRoundInterceptor implements MethodInterceptor {

	/** Whether {@code method} is a model round this interceptor observes. */
	public static boolean isRound(Method method) {
		return method.getParameterCount() == 1 && method.getParameterTypes()[0] == Prompt.class
				&& (method.getName().equals("call") || method.getName().equals("stream"));
	}

	/**
	 * {@code model}, traced: a class-based proxy, so its own type stays injectable. Only
	 * for models that are not beans; the auto-configuration traces {@code ChatModel}
	 * beans itself.
	 */
	public static ChatModel traced(ChatModel model) {
		Assert.notNull(model, "model must not be null");
		Assert.isTrue(!java.lang.reflect.Modifier.isFinal(AopUtils.getTargetClass(model).getModifiers()),
				() -> model.getClass().getName() + " is final and cannot be traced; use CallbackAdvisors.of(manager)");
		ProxyFactory factory = new ProxyFactory(model);
		factory.setProxyTargetClass(true);
		factory.addAdvisor(roundAdvisor());
		return (ChatModel) factory.getProxy(model.getClass().getClassLoader());
	}

	/**
	 * {@code model} as a {@code ChatClient} should call it: itself when it already
	 * observes its rounds (a traced bean), else a proxy of its interfaces. Inside a
	 * client only the {@code ChatModel} interface is used, so a final class (Spring AI
	 * 2.0.1's {@code OpenAiChatModel}, {@code AnthropicChatModel}) is traced there too,
	 * while its bean keeps its own type.
	 */
	public static ChatModel forClient(ChatModel model) {
		Assert.notNull(model, "model must not be null");
		if (isTraced(model)) {
			return model;
		}
		ProxyFactory factory = new ProxyFactory(model);
		factory.setInterfaces(org.springframework.util.ClassUtils.getAllInterfaces(model));
		factory.addAdvisor(roundAdvisor());
		return (ChatModel) factory.getProxy(model.getClass().getClassLoader());
	}

	/** Whether {@code model} is a proxy whose rounds this interceptor observes. */
	public static boolean isTraced(Object model) {
		if (model instanceof org.springframework.aop.framework.Advised advised) {
			for (org.springframework.aop.Advisor candidate : advised.getAdvisors()) {
				if (candidate.getAdvice() instanceof ModelRoundInterceptor) {
					return true;
				}
			}
		}
		return false;
	}

	// The interceptor on the model's round methods only.
	private static org.springframework.aop.PointcutAdvisor roundAdvisor() {
		return new org.springframework.aop.support.DefaultPointcutAdvisor(
				new org.springframework.aop.support.StaticMethodMatcherPointcut() {
					@Override
					public boolean matches(Method method, Class<?> targetClass) {
						return isRound(method);
					}
				}, new ModelRoundInterceptor());
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Method method = invocation.getMethod();
		if (!isRound(method) || !(invocation.getArguments()[0] instanceof Prompt prompt)) {
			return invocation.proceed();
		}
		Object model = (invocation.getThis() != null) ? invocation.getThis() : this;
		if (method.getName().equals("call")) {
			ChainRun chain = chainOf(Run.current());
			if (chain == null) {
				return invocation.proceed();
			}
			return LlmRounds.call(chain, prompt, model, model, () -> (ChatResponse) Invocations.proceed(invocation),
					(response) -> response);
		}
		return Flux.deferContextual(reactorContext -> {
			ChainRun chain = chainOf(ChainRunAdvisor.currentRun(reactorContext));
			if (chain == null) {
				return streamOf(invocation);
			}
			return LlmRounds.stream(chain, prompt, model, model, () -> streamOf(invocation), (chunk) -> chunk);
		});
	}

	/**
	 * The chain a round belongs to: none when no chain runs, when it has ended (a round
	 * Spring AI starts after a cancelled stream's tool finished), or when the round is an
	 * LLM run already.
	 */
	private static @Nullable ChainRun chainOf(@Nullable Run current) {
		if (current == null || current instanceof LlmRun || current.chain().isFinished()) {
			return null;
		}
		return current.chain();
	}

	@SuppressWarnings("unchecked")
	private static Flux<ChatResponse> streamOf(MethodInvocation invocation) {
		return (Flux<ChatResponse>) java.util.Objects.requireNonNull(Invocations.proceed(invocation),
				"stream(Prompt) returned null");
	}

}
