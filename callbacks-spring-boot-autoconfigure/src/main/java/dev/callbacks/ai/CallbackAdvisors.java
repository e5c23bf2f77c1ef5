package dev.callbacks.ai;

import java.util.function.Consumer;

import dev.callbacks.CallbackManager;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.DefaultChatClient;
import org.springframework.util.Assert;

/**
 * The advisors that give a {@code ChatClient} callbacks. The auto-configuration applies
 * them to every client; without Spring Boot, apply them yourself:
 *
 * <pre class="code">
 * ChatClient client = ChatClient.builder(model).defaultAdvisors(CallbackAdvisors.of(manager)).build();
 * </pre>
 */
public final class CallbackAdvisors {

	private CallbackAdvisors() {
	}

	/**
	 * The chain advisor of {@code manager} (its global handlers, observers and prices)
	 * and the LLM advisor.
	 */
	public static Consumer<ChatClient.AdvisorSpec> of(CallbackManager manager) {
		Assert.notNull(manager, "manager must not be null");
		ChainRunAdvisor chainAdvisor = ChainRunAdvisor.of(manager);
		return spec -> spec.advisors(chainAdvisor, LlmRunAdvisor.INSTANCE);
	}

	/**
	 * The chain advisor of {@code manager} alone, for a client whose model observes its
	 * own rounds
	 * ({@link ModelRoundInterceptor#traced(org.springframework.ai.chat.model.ChatModel)},
	 * or a {@code ChatModel} bean the auto-configuration traced): per-token work then
	 * stays off Spring AI's advisor chain.
	 */
	public static Consumer<ChatClient.AdvisorSpec> forTracedModel(CallbackManager manager) {
		Assert.notNull(manager, "manager must not be null");
		ChainRunAdvisor chainAdvisor = ChainRunAdvisor.of(manager);
		return spec -> spec.advisors(chainAdvisor);
	}

	/**
	 * Whether {@code client} already has a manager's callbacks (for example, built from
	 * the customized builder).
	 */
	public static boolean isApplied(ChatClient client) {
		return client.prompt() instanceof DefaultChatClient.DefaultChatClientRequestSpec spec && spec.getAdvisors()
			.stream()
			.anyMatch(advisor -> advisor instanceof ChainRunAdvisor chain && chain.carriesManager());
	}

}
