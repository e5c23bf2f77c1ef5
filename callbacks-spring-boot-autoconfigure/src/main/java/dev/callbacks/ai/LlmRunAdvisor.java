package dev.callbacks.ai;

import java.util.List;

import dev.callbacks.internal.ChainRun;
import dev.callbacks.internal.LlmRun;
import dev.callbacks.internal.Run;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisor;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.core.Ordered;

/**
 * Turns each model round trip into an LLM run. Ordered last before the model, after
 * Spring AI's tool-calling advisor, so it sees every round of a tool-calling exchange and
 * the prompt exactly as sent.
 * <p>
 * It finds its chain run where the chain advisor left it: on the thread for
 * {@code call()}, in the Reactor context for {@code stream()}. Several instances in one
 * chain are harmless: the first makes the round's run current, the others see it (for the
 * same advisor chain) and step aside.
 * <p>
 * Streams: tokens are delivered as chunks arrive; usage is read from every chunk, not
 * only the one with a finish reason, because OpenAI reports it in a final chunk that has
 * none.
 */
public final class LlmRunAdvisor implements CallAdvisor, StreamAdvisor {

	/** The advisor's name, as Spring AI's observations give it. */
	public static final String NAME = "CallbacksLlmRunAdvisor";

	/** The one instance; it is stateless. */
	public static final LlmRunAdvisor INSTANCE = new LlmRunAdvisor();

	private LlmRunAdvisor() {
	}

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 1;
	}

	@Override
	public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
		ChainRun chainRun = chainRunFor(Run.current(), chain);
		if (chainRun == null) {
			return chain.nextCall(request);
		}
		return LlmRounds.call(chainRun, request.prompt(), chain, null, () -> chain.nextCall(request),
				ChatClientResponse::chatResponse);
	}

	@Override
	public Flux<ChatClientResponse> adviseStream(ChatClientRequest request, StreamAdvisorChain chain) {
		return Flux.deferContextual(reactorContext -> {
			ChainRun chainRun = chainRunFor(ChainRunAdvisor.currentRun(reactorContext), chain);
			if (chainRun == null) {
				return chain.nextStream(request);
			}
			return LlmRounds.stream(chainRun, request.prompt(), chain, null, () -> chain.nextStream(request),
					ChatClientResponse::chatResponse);
		});
	}

	/**
	 * The chain run a round belongs to, or {@code null} when there is none to report to:
	 * no chain advisor ran, the chain has ended (a round Spring AI starts after a
	 * cancelled stream's tool finished), or another instance of this advisor already runs
	 * this round.
	 */
	private static @Nullable ChainRun chainRunFor(@Nullable Run current, Object advisorChain) {
		if (current == null || current.chain().isFinished()) {
			return null;
		}
		if (current instanceof LlmRun round && round.isStartedBy(advisorChain)) {
			return null;
		}
		return current.chain();
	}

}
