package dev.callbacks.ai;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.callbacks.ai.usage.ModelNames;
import dev.callbacks.budget.Admission;
import dev.callbacks.budget.BudgetException;
import dev.callbacks.usage.TokenUsage;
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
		Admission[] admission = { Admission.NONE };
		return Lifecycles.blocking(run, run.start(), () -> {
			if (RoundBudgets.apply(chain)) {
				// Before the provider is called: a round over budget is not sent.
				admission[0] = RoundBudgets.admit(chain, prompt, modelOf(prompt));
			}
			run.modelCalled();
			try {
				return body.get();
			}
			catch (RuntimeException | Error ex) {
				admission[0].release();
				throw ex;
			}
		}, (result) -> {
			ChatResponse chatResponse = response.apply(result);
			ChatResponse answer = (chatResponse != null) ? ModelNames.withAnsweringModel(chatResponse, modelOf(prompt))
					: new ChatResponse(List.of());
			String answered = ChatResponses.modelOf(answer);
			TokenUsage usage = ChatResponses.usageOf(run, answer, answered, prompt.getOptions());
			admission[0].settle(usage, null);
			return run.end(answer, usage, answered, ChatResponses.toolCallsOf(answer));
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
		if (RoundBudgets.apply(chain)) {
			return budgetedStream(chain, prompt, run, round, body, chunk);
		}
		Flux<T> chunks = Flux.defer(() -> {
			run.modelCalled();
			return body.get();
		});
		java.util.function.Consumer<T> seen = null;
		if (run.awaitsTokens()) {
			// Async token handlers: the next chunk waits for them, which keeps tokens in
			// order per handler.
			chunks = chunks.concatMap(element -> {
				Mono<Void> pending = round.onChunk(chunk.apply(element));
				return (pending != null) ? pending.thenReturn(element) : Mono.just(element);
			});
		}
		else {
			seen = (element) -> round.onChunk(chunk.apply(element));
		}
		return Lifecycles.streaming(run.start(), chunks, seen,
				(context) -> context.put(ChainRunAdvisor.STREAM_RUN_KEY, run), round::end, run::error,
				() -> round.cancel(false));
	}

	// A streamed round with budgets: admitted before the provider is called, checked as
	// tokens arrive (a stream that crosses a limit is stopped, unless the budget lets it
	// finish), and settled to what the provider reported when it ends, fails or is
	// cancelled.
	private static <T> Flux<T> budgetedStream(ChainRun chain, Prompt prompt, LlmRun run,
			ChatResponses.StreamedRound round, Supplier<Flux<T>> body, Function<T, @Nullable ChatResponse> chunk) {
		// Set once, before the first chunk; Reactor's signals order the reads after it.
		Admission[] admission = { Admission.NONE };
		Flux<T> chunks = RoundBudgets.admitAsync(chain, prompt, modelOf(prompt)).flatMapMany((admitted) -> {
			admission[0] = admitted;
			run.modelCalled();
			return body.get();
		});
		chunks = chunks.concatMap((element) -> {
			Mono<Void> pending = round.onChunk(chunk.apply(element));
			BudgetException stop = admission[0].check(run.tokenCount());
			if (stop != null) {
				return Mono.error(stop);
			}
			return (pending != null) ? pending.thenReturn(element) : Mono.just(element);
		});
		return Lifecycles.streaming(run.start(), chunks, null,
				(context) -> context.put(ChainRunAdvisor.STREAM_RUN_KEY, run),
				() -> round.end().then(Mono.defer(() -> settle(admission[0], round))),
				(error) -> run.error(error).then(Mono.defer(() -> settle(admission[0], round))), () -> {
					round.cancel(true);
					settle(admission[0], round).subscribe(null, (ex) -> {
					});
				});
	}

	private static Mono<Void> settle(Admission admission, ChatResponses.StreamedRound round) {
		TokenUsage usage = round.usage();
		return (usage != null) ? admission.settleAsync(usage, null) : admission.releaseAsync();
	}

	private static String modelOf(Prompt prompt) {
		ChatOptions options = prompt.getOptions();
		String model = (options != null) ? options.getModel() : null;
		return (model != null) ? model : "";
	}

}
