package dev.callbacks.autoconfigure;

import dev.callbacks.CallbackManager;
import dev.callbacks.ai.CallbackAdvisors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Gives {@code ChatClient} beans built without the auto-configured builder (such as
 * {@code ChatClient.create(model)}) the application's callbacks, by rebuilding them with
 * {@code mutate()}. Clients that already have them are left alone, so no client gets the
 * global handlers twice.
 */
final class CallbacksChatClientPostProcessor implements BeanPostProcessor {

	private static final Logger logger = LoggerFactory.getLogger(CallbacksChatClientPostProcessor.class);

	// Lazy: a post-processor is created before most beans, the manager (and the handler
	// beans) must not be.
	private final ObjectProvider<CallbackManager> callbackManager;

	CallbacksChatClientPostProcessor(ObjectProvider<CallbackManager> callbackManager) {
		this.callbackManager = callbackManager;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof ChatClient client) || CallbackAdvisors.isApplied(client)) {
			return bean;
		}
		CallbackManager manager = this.callbackManager.getIfAvailable();
		if (manager == null) {
			return bean;
		}
		try {
			return client.mutate().defaultAdvisors(CallbackAdvisors.of(manager)).build();
		}
		catch (RuntimeException ex) {
			logger.warn("ChatClient bean '{}' ({}) cannot be rebuilt with mutate(), so the global callback handlers "
					+ "do not see it: {}", beanName, client.getClass().getName(), ex.toString());
			return bean;
		}
	}

}
