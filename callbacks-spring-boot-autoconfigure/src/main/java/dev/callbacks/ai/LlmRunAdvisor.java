package dev.callbacks.ai;

import dev.callbacks.CallbackManager;
import dev.callbacks.ChainRun;
import dev.callbacks.LlmRun;
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
 * Turns each model round trip into an LLM run. Ordered last before the model, after Spring AI's tool-calling
 * advisor, so it sees every round of a tool-calling exchange and the prompt exactly as sent.
 * <p>
 * Streams: tokens are delivered as chunks arrive; usage is read from every chunk, not only the one with a finish
 * reason, because OpenAI reports it in a final chunk that has none.
 */
public final class LlmRunAdvisor implements CallAdvisor, StreamAdvisor {

	/** The one instance; it is stateless. */
	public static final LlmRunAdvisor INSTANCE = new LlmRunAdvisor();

	/** Request-context key of the LLM run of the round. */
	public static final String LLM_RUN_KEY = "dev.callbacks.llm-run";

	private LlmRunAdvisor() {
	}

	@Override
	public String getName() {
		return "CallbacksLlmRunAdvisor";
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 1;
	}

	@Override
	public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
		ChainRun chainRun = ChainRunAdvisor.chainRunOf(request.context());
		if (chainRun == null || chainRun.isFinished() || request.context().get(LLM_RUN_KEY) != null) {
			return chain.nextCall(request);
		}
		LlmRun run = chainRun.newLlmRun(request.prompt().getInstructions(), modelOf(request.prompt()), false);
		CallbackManager.await(run.start());
		ChatClientResponse response;
		try {
			response = chain.nextCall(ChainRunAdvisor.withContext(request, request.prompt(), LLM_RUN_KEY, run));
		}
		catch (RuntimeException | Error ex) {
			try {
				CallbackManager.await(run.error(ex));
			}
			catch (RuntimeException handlerError) {
				ex.addSuppressed(handlerError);
			}
			throw ex;
		}
		ChatResponse chatResponse = response.chatResponse();
		CallbackManager.await(run.end(chatResponse, Usages.from(chatResponse)));
		return response;
	}

	@Override
	public Flux<ChatClientResponse> adviseStream(ChatClientRequest request, StreamAdvisorChain chain) {
		ChainRun chainRun = ChainRunAdvisor.chainRunOf(request.context());
		if (chainRun == null || request.context().get(LLM_RUN_KEY) != null) {
			return chain.nextStream(request);
		}
		return Flux.defer(() -> {
			if (chainRun.isFinished()) {
				// A round Spring AI starts after the stream was cancelled (its tool finished late): the chain
				// has ended, so the round stays silent rather than deliver events after the chain's error.
				return chain.nextStream(request);
			}
			LlmRun run = chainRun.newLlmRun(request.prompt().getInstructions(), modelOf(request.prompt()), true);
			Flux<ChatClientResponse> body = chain
				.nextStream(ChainRunAdvisor.withContext(request, request.prompt(), LLM_RUN_KEY, run));
			if (run.awaitsTokens()) {
				// Async token handlers: the next chunk waits for them, which keeps tokens in order per handler.
				body = body.concatMap(response -> {
					Mono<Void> pending = onChunk(run, response);
					return (pending != null) ? pending.thenReturn(response) : Mono.just(response);
				});
			}
			else {
				body = body.doOnNext(response -> onChunk(run, response));
			}
			return RunLifecycle.around(run.start(), body, run::endStream, run::error, run::cancel);
		});
	}

	private static @org.jspecify.annotations.Nullable Mono<Void> onChunk(LlmRun run, ChatClientResponse response) {
		ChatResponse chunk = response.chatResponse();
		return (chunk != null) ? run.onChunk(chunk, Usages.from(chunk)) : null;
	}

	private static String modelOf(Prompt prompt) {
		ChatOptions options = prompt.getOptions();
		String model = (options != null) ? options.getModel() : null;
		return (model != null) ? model : "";
	}

}
