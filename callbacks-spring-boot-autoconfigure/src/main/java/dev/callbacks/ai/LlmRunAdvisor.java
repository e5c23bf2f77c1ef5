package dev.callbacks.ai;

import dev.callbacks.CallbackManager;
import dev.callbacks.ChainRun;
import dev.callbacks.LlmRun;
import dev.callbacks.Run;
import dev.callbacks.ai.usage.ModelNames;
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

	/** The one instance; it is stateless. */
	public static final LlmRunAdvisor INSTANCE = new LlmRunAdvisor();

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
		ChainRun chainRun = chainRunFor(Run.current(), chain);
		if (chainRun == null) {
			return chain.nextCall(request);
		}
		LlmRun run = chainRun.newLlmRun(request.prompt().getInstructions(), modelOf(request.prompt()), false, chain);
		CallbackManager.await(run.start());
		run.modelCalled();
		ChatClientResponse response;
		try (Run.Scope scope = run.makeCurrent()) {
			response = chain.nextCall(request);
		}
		catch (RuntimeException | Error ex) {
			run.failed(ex);
			throw ex;
		}
		ChatResponse chatResponse = response.chatResponse();
		Prompt prompt = request.prompt();
		ChatResponse answered = (chatResponse != null) ? ModelNames.withAnsweringModel(chatResponse, modelOf(prompt))
				: null;
		CallbackManager.await(run.end(answered, Usages.from(chatResponse, prompt.getOptions())));
		return response;
	}

	@Override
	public Flux<ChatClientResponse> adviseStream(ChatClientRequest request, StreamAdvisorChain chain) {
		return Flux.deferContextual(reactorContext -> {
			ChainRun chainRun = chainRunFor(ChainRunAdvisor.currentRun(reactorContext), chain);
			if (chainRun == null) {
				return chain.nextStream(request);
			}
			LlmRun run = chainRun.newLlmRun(request.prompt().getInstructions(), modelOf(request.prompt()), true, chain);
			Flux<ChatClientResponse> next = chain.nextStream(request);
			Flux<ChatClientResponse> body = Flux.defer(() -> {
				run.modelCalled();
				return next;
			});
			if (run.awaitsTokens()) {
				// Async token handlers: the next chunk waits for them, which keeps tokens
				// in order per handler.
				body = body.concatMap(response -> {
					Mono<Void> pending = onChunk(run, request, response);
					return (pending != null) ? pending.thenReturn(response) : Mono.just(response);
				});
			}
			else {
				body = body.doOnNext(response -> onChunk(run, request, response));
			}
			body = body.contextWrite(context -> context.put(ChainRunAdvisor.STREAM_RUN_KEY, run));
			return RunLifecycle.around(run.start(), body, run::endStream, run::error, run::cancel);
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

	private static @Nullable Mono<Void> onChunk(LlmRun run, ChatClientRequest request, ChatClientResponse response) {
		ChatResponse chunk = response.chatResponse();
		if (chunk == null) {
			return null;
		}
		// The request's options fill in what a provider's stream leaves out; the model
		// name is repaired where Spring AI's chunk merging concatenated it.
		Prompt prompt = request.prompt();
		return run.onChunk(ModelNames.withAnsweringModel(chunk, modelOf(prompt)),
				Usages.from(chunk, prompt.getOptions()));
	}

	private static String modelOf(Prompt prompt) {
		ChatOptions options = prompt.getOptions();
		String model = (options != null) ? options.getModel() : null;
		return (model != null) ? model : "";
	}

}
