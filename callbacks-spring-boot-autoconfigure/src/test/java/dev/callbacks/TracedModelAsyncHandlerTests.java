package dev.callbacks;

import java.time.Duration;
import java.util.List;

import dev.callbacks.ai.CallbackAdvisors;
import dev.callbacks.ai.ModelRoundInterceptor;
import dev.callbacks.metrics.MicrometerCallbackObserver;

import org.springframework.ai.chat.client.ChatClient;

/**
 * Every test of {@link AsyncHandlerTests} again with the rounds observed at a traced
 * model and the handlers global, as in an auto-configured application: async start events
 * still complete before the model is called, tokens stay in order, cancel ends children
 * first.
 */
class TracedModelAsyncHandlerTests extends AsyncHandlerTests {

	@Override
	ChatClient client(Duration asyncTimeout, BaseCallbackHandler... handlers) {
		CallbackManager manager = CallbackManager.builder()
			.asyncTimeout(asyncTimeout)
			.handlers(List.of(handlers))
			.observers(List.of(new MicrometerCallbackObserver(this.registry)))
			.build();
		return ChatClient.builder(ModelRoundInterceptor.traced(this.model))
			.defaultAdvisors(CallbackAdvisors.forTracedModel(manager))
			.build();
	}

}
