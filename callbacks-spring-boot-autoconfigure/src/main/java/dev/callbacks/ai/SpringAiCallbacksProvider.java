package dev.callbacks.ai;

import java.util.List;

import dev.callbacks.CallbackConfig;
import dev.callbacks.CallbacksProvider;
import dev.callbacks.internal.Run;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

import org.springframework.ai.chat.client.advisor.api.Advisor;

/**
 * Runs the public API on Spring AI: a level becomes its chain advisor (plus the LLM
 * advisor, so that it works on clients the auto-configuration never saw; on clients that
 * already have them the extra ones step aside), and custom events go to the current run.
 * Registered through {@code META-INF/services}.
 */
public final class SpringAiCallbacksProvider implements CallbacksProvider {

	private static final Logger logger = LoggerFactory.getLogger(SpringAiCallbacksProvider.class);

	@Override
	public List<Advisor> advisors(CallbackConfig.Snapshot level) {
		// The level travels in its own chain advisor: Spring AI keeps advisors in the
		// order they were added (client defaults, then the request's), and an
		// advisor-context entry would be copied for every streamed chunk.
		return List.of(ChainRunAdvisor.of(level), LlmRunAdvisor.INSTANCE);
	}

	@Override
	public Mono<Void> dispatchCustomEvent(String name, @Nullable Object data, @Nullable ContextView reactorContext) {
		Run run = (reactorContext != null) ? reactorContext.getOrDefault(Run.CONTEXT_KEY, null) : null;
		if (run == null) {
			run = Run.current();
		}
		if (run == null) {
			logger.debug("Custom event '{}' dispatched outside a run: no handler to deliver it to", name);
			return Mono.empty();
		}
		return run.dispatchCustom(name, data);
	}

}
