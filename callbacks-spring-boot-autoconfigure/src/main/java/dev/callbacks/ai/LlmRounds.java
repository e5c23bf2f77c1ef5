package dev.callbacks.ai;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.callbacks.ai.usage.ModelNames;
import dev.callbacks.internal.ChainRun;
import dev.callbacks.internal.LlmRun;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * One model round trip as an LLM run, wherever the adapter intercepts it: around the
 * model ({@link ModelRoundInterceptor}, the default) or in the advisor chain
 * ({@link LlmRunAdvisor}, for clients whose model is not a traced bean). The start is
 * awaited before the model is called; streamed chunks become tokens as they arrive.
 */
final class LlmRounds {

	private LlmRounds() {
	}

	/**
	 * Runs a blocking round of {@code chain}.
	 * @param model the model object, when the round is seen at the model
	 * @param response reads the model's response from the body's result
	 */
	static <T> T call(ChainRun chain, Prompt prompt, Object startedBy, @Nullable Object model, Supplier<T> body,
			Function<T, @Nullable ChatResponse> response) {
		LlmRun run = chain.newLlmRun(prompt.getInstructions(), modelOf(prompt), Providers.of(model, prompt), false,
				startedBy);
		if (run == null) {
			// The chain was cancelled while this round was being started.
			return body.get();
		}
		return Lifecycles.blocking(run, run.start(), () -> {
			run.modelCalled();
			return body.get();
		}, (result) -> {
			ChatResponse chatResponse = response.apply(result);
			ChatResponse answer = (chatResponse != null) ? ModelNames.withAnsweringModel(chatResponse, modelOf(prompt))
					: new ChatResponse(List.of());
			String answered = ChatResponses.modelOf(answer);
			return run.end(answer, ChatResponses.usageOf(run, answer, answered, prompt.getOptions()), answered,
					ChatResponses.toolCallsOf(answer));
		});
	}

	/**
	 * Runs a streamed round of {@code chain}; {@code body} is subscribed once the start
	 * handlers are done.
	 * @param model the model object, when the round is seen at the model
	 * @param chunk reads one streamed chunk from an element of the body
	 */
	static <T> Flux<T> stream(ChainRun chain, Prompt prompt, Object startedBy, @Nullable Object model,
			Supplier<Flux<T>> body, Function<T, @Nullable ChatResponse> chunk) {
		LlmRun run = chain.newLlmRun(prompt.getInstructions(), modelOf(prompt), Providers.of(model, prompt), true,
				startedBy);
		if (run == null) {
			// The chain was cancelled while this round was being started.
			return Flux.defer(body);
		}
		ChatResponses.StreamedRound round = new ChatResponses.StreamedRound(run, modelOf(prompt), prompt.getOptions());
		Flux<T> chunks = Flux.defer(() -> {
			run.modelCalled();
			return body.get();
		});
		if (run.awaitsTokens()) {
			// Async token handlers: the next chunk waits for them, which keeps tokens in
			// order per handler.
			chunks = chunks.concatMap(element -> {
				Mono<Void> pending = round.onChunk(chunk.apply(element));
				return (pending != null) ? pending.thenReturn(element) : Mono.just(element);
			});
		}
		else {
			chunks = chunks.doOnNext(element -> round.onChunk(chunk.apply(element)));
		}
		chunks = chunks.contextWrite(context -> context.put(ChainRunAdvisor.STREAM_RUN_KEY, run));
		return Lifecycles.streaming(run.start(), chunks, round::end, run::error, run::cancel);
	}

	private static String modelOf(Prompt prompt) {
		ChatOptions options = prompt.getOptions();
		String model = (options != null) ? options.getModel() : null;
		return (model != null) ? model : "";
	}

}
