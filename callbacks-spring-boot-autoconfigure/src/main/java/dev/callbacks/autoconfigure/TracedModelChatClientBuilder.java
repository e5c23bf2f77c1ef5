package dev.callbacks.autoconfigure;

import dev.callbacks.ai.ModelRoundInterceptor;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.client.DefaultChatClientBuilder;
import org.springframework.ai.chat.client.advisor.ToolCallingAdvisor;
import org.springframework.ai.chat.client.advisor.observation.AdvisorObservationConvention;
import org.springframework.ai.chat.client.observation.ChatClientObservationConvention;
import org.springframework.ai.chat.model.ChatModel;

/**
 * The auto-configured {@code ChatClient.Builder}: Spring AI's own, over the model as
 * {@link ModelRoundInterceptor#forClient(ChatModel)} gives it, so that its clients'
 * rounds are observed at the model whatever the model's class. Its type tells the
 * callbacks' {@code ChatClientBuilderCustomizer} that the chain advisor is all its
 * clients need.
 */
final class TracedModelChatClientBuilder extends DefaultChatClientBuilder {

	TracedModelChatClientBuilder(ChatModel chatModel, ObservationRegistry observationRegistry,
			@Nullable ChatClientObservationConvention chatClientObservationConvention,
			@Nullable AdvisorObservationConvention advisorObservationConvention,
			ToolCallingAdvisor.@Nullable Builder<?> toolCallingAdvisorBuilder) {
		super(ModelRoundInterceptor.forClient(chatModel), observationRegistry, chatClientObservationConvention,
				advisorObservationConvention, toolCallingAdvisorBuilder);
	}

}
