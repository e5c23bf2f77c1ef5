package dev.callbacks.autoconfigure;

import java.util.function.Consumer;

import dev.callbacks.CallbackManager;
import dev.callbacks.ai.ChainRunAdvisor;
import dev.callbacks.ai.LlmRunAdvisor;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.DefaultChatClient;

/** What the auto-configuration adds to a {@code ChatClient}: the two advisors and the manager in their context. */
final class CallbacksChatClients {

	private CallbacksChatClients() {
	}

	static Consumer<ChatClient.AdvisorSpec> advisors(CallbackManager manager) {
		return spec -> spec.advisors(ChainRunAdvisor.INSTANCE, LlmRunAdvisor.INSTANCE)
			.param(CallbackManager.CONTEXT_KEY, manager);
	}

	/** Whether the client already has the application's callbacks (built from the customized builder). */
	static boolean hasCallbacks(ChatClient client) {
		return client.prompt() instanceof DefaultChatClient.DefaultChatClientRequestSpec spec
				&& spec.getAdvisorParams().containsKey(CallbackManager.CONTEXT_KEY);
	}

}
