package dev.callbacks.ai;

import java.util.List;

import dev.callbacks.CallbackManager;
import dev.callbacks.test.ScriptedChatModel;
import dev.callbacks.test.ScriptedChatModel.Reply;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.StreamingChatModel;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.aop.support.AopUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every test of {@link RunTreeTests} again with the model traced through a proxy of its
 * interfaces ({@link ModelRoundInterceptor#forClient}), as the auto-configured builder
 * hands a model of a final class to its clients: the same run trees, events and usage.
 */
class ClientTracedModelRunTreeTests extends RunTreeTests {

	@Override
	ChatClient client() {
		return ChatClient.builder(ModelRoundInterceptor.forClient(new FinalModel(this.model)))
			.defaultAdvisors(
					CallbackAdvisors.forTracedModel(CallbackManager.builder().handlers(List.of(this.handler)).build()))
			.build();
	}

	@Test
	void aFinalClassIsProxiedByItsInterfacesAndATracedModelIsLeftAsItIs() {
		ChatModel forClient = ModelRoundInterceptor.forClient(new FinalModel(this.model));
		assertThat(AopUtils.isJdkDynamicProxy(forClient)).isTrue();
		assertThat(forClient).isInstanceOf(StreamingChatModel.class);
		assertThat(ModelRoundInterceptor.isTraced(forClient)).isTrue();

		ChatModel traced = ModelRoundInterceptor.traced(this.model);
		assertThat(ModelRoundInterceptor.forClient(traced)).isSameAs(traced);
	}

	@Test
	void aStreamedRoundOfAFinalModelIsAnLlmRun() {
		this.model.then(Reply.tokens("Roses", " are", " red.").usage(9, 3));

		assertThat(client().prompt("Roses?").stream().content().collectList().block(java.time.Duration.ofSeconds(10)))
			.containsExactly("Roses", " are", " red.");

		assertThat(this.handler.shape()).containsExactly("chain_start", "llm_start", "tokens", "llm_end", "chain_end");
	}

	/** Like Spring AI 2.0.1's OpenAI and Anthropic models: a final class. */
	static final class FinalModel implements ChatModel {

		private final ScriptedChatModel delegate;

		FinalModel(ScriptedChatModel delegate) {
			this.delegate = delegate;
		}

		@Override
		public ChatResponse call(Prompt prompt) {
			return this.delegate.call(prompt);
		}

		@Override
		public Flux<ChatResponse> stream(Prompt prompt) {
			return this.delegate.stream(prompt);
		}

		@Override
		public org.springframework.ai.chat.prompt.ChatOptions getOptions() {
			return this.delegate.getOptions();
		}

	}

}
