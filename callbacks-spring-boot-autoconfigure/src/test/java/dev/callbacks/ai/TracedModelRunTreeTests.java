package dev.callbacks.ai;

import java.util.List;

import dev.callbacks.CallbackManager;
import dev.callbacks.test.ScriptedChatModel.Reply;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.DefaultChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.aop.support.AopUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every test of {@link RunTreeTests} again with the rounds observed at a traced model and
 * only the chain advisor in the client, as the auto-configuration sets up clients of
 * {@code ChatModel} beans: the same run trees, events and usage.
 */
class TracedModelRunTreeTests extends RunTreeTests {

	@Override
	ChatClient client() {
		return ChatClient.builder(ModelRoundInterceptor.traced(this.model))
			.defaultAdvisors(
					CallbackAdvisors.forTracedModel(CallbackManager.builder().handlers(List.of(this.handler)).build()))
			.build();
	}

	@Test
	void tracedModelKeepsItsTypeAndTheClientHasOneCallbackAdvisor() {
		ChatModel traced = ModelRoundInterceptor.traced(this.model);
		assertThat(traced).isInstanceOf(this.model.getClass());
		assertThat(AopUtils.isCglibProxy(traced)).isTrue();
		assertThat(((DefaultChatClient.DefaultChatClientRequestSpec) client().prompt()).getAdvisors())
			.filteredOn(advisor -> advisor.getClass().getPackageName().startsWith("dev.callbacks"))
			.singleElement()
			.isInstanceOf(ChainRunAdvisor.class);
	}

	@Test
	void roundsOutsideAChainAreLeftAlone() {
		this.model.then(Reply.text("plain").usage(1, 1));

		ChatModel traced = ModelRoundInterceptor.traced(this.model);

		assertThat(traced.call(new org.springframework.ai.chat.prompt.Prompt("x")).getResult().getOutput().getText())
			.isEqualTo("plain");
		assertThat(this.handler.kinds()).isEmpty();
	}

}
