package dev.callbacks;

import dev.callbacks.event.ChainEndEvent;
import dev.callbacks.event.ChainErrorEvent;
import dev.callbacks.event.ChainStartEvent;
import dev.callbacks.event.ChatModelStartEvent;
import dev.callbacks.event.CustomEvent;
import dev.callbacks.event.EmbeddingEndEvent;
import dev.callbacks.event.EmbeddingErrorEvent;
import dev.callbacks.event.EmbeddingStartEvent;
import dev.callbacks.event.LlmEndEvent;
import dev.callbacks.event.LlmErrorEvent;
import dev.callbacks.event.LlmNewTokenEvent;
import dev.callbacks.event.RetrieverEndEvent;
import dev.callbacks.event.RetrieverErrorEvent;
import dev.callbacks.event.RetrieverStartEvent;
import dev.callbacks.event.ToolEndEvent;
import dev.callbacks.event.ToolErrorEvent;
import dev.callbacks.event.ToolStartEvent;
import reactor.core.publisher.Mono;

/**
 * An asynchronous callback handler: the same events as {@link CallbackHandler}, each
 * method returning a {@code Mono<Void>} that the run awaits without blocking a thread.
 * <p>
 * Start events complete before the model is called; end events complete before the caller
 * sees the result (for {@code call()}) or before the stream completes. Each call is
 * bounded by {@code callbacks.async.timeout}; a handler that takes longer counts as
 * failed.
 */
public non-sealed interface AsyncCallbackHandler extends BaseCallbackHandler {

	/**
	 * Called when a chat model round trip is about to start (awaited before the model is
	 * called); the returned {@code Mono} is awaited without blocking.
	 */
	default Mono<Void> onChatModelStart(ChatModelStartEvent event) {
		return Mono.empty();
	}

	/**
	 * Called when a streamed token arrived; the returned {@code Mono} is awaited without
	 * blocking.
	 */
	default Mono<Void> onLlmNewToken(LlmNewTokenEvent event) {
		return Mono.empty();
	}

	/**
	 * Called when an LLM run ended, with its response and usage; the returned
	 * {@code Mono} is awaited without blocking.
	 */
	default Mono<Void> onLlmEnd(LlmEndEvent event) {
		return Mono.empty();
	}

	/**
	 * Called when an LLM run failed or was cancelled; the returned {@code Mono} is
	 * awaited without blocking.
	 */
	default Mono<Void> onLlmError(LlmErrorEvent event) {
		return Mono.empty();
	}

	/**
	 * Called when a chain run (a {@code ChatClient} call or stream) started; the returned
	 * {@code Mono} is awaited without blocking.
	 */
	default Mono<Void> onChainStart(ChainStartEvent event) {
		return Mono.empty();
	}

	/**
	 * Called when a chain run ended; the returned {@code Mono} is awaited without
	 * blocking.
	 */
	default Mono<Void> onChainEnd(ChainEndEvent event) {
		return Mono.empty();
	}

	/**
	 * Called when a chain run failed or was cancelled; the returned {@code Mono} is
	 * awaited without blocking.
	 */
	default Mono<Void> onChainError(ChainErrorEvent event) {
		return Mono.empty();
	}

	/**
	 * Called when a tool is about to run; the returned {@code Mono} is awaited without
	 * blocking.
	 */
	default Mono<Void> onToolStart(ToolStartEvent event) {
		return Mono.empty();
	}

	/**
	 * Called when a tool returned; the returned {@code Mono} is awaited without blocking.
	 */
	default Mono<Void> onToolEnd(ToolEndEvent event) {
		return Mono.empty();
	}

	/**
	 * Called when a tool threw; the returned {@code Mono} is awaited without blocking.
	 */
	default Mono<Void> onToolError(ToolErrorEvent event) {
		return Mono.empty();
	}

	/**
	 * Called when a retrieval is about to start; the returned {@code Mono} is awaited
	 * without blocking.
	 */
	default Mono<Void> onRetrieverStart(RetrieverStartEvent event) {
		return Mono.empty();
	}

	/**
	 * Called when a retrieval returned documents; the returned {@code Mono} is awaited
	 * without blocking.
	 */
	default Mono<Void> onRetrieverEnd(RetrieverEndEvent event) {
		return Mono.empty();
	}

	/**
	 * Called when a retrieval failed; the returned {@code Mono} is awaited without
	 * blocking.
	 */
	default Mono<Void> onRetrieverError(RetrieverErrorEvent event) {
		return Mono.empty();
	}

	/**
	 * Called when an {@code EmbeddingModel} bean is about to embed texts; the returned
	 * {@code Mono} is awaited without blocking.
	 */
	default Mono<Void> onEmbeddingStart(EmbeddingStartEvent event) {
		return Mono.empty();
	}

	/**
	 * Called when an embedding call returned, with its usage; the returned {@code Mono}
	 * is awaited without blocking.
	 */
	default Mono<Void> onEmbeddingEnd(EmbeddingEndEvent event) {
		return Mono.empty();
	}

	/**
	 * Called when an embedding call failed; the returned {@code Mono} is awaited without
	 * blocking.
	 */
	default Mono<Void> onEmbeddingError(EmbeddingErrorEvent event) {
		return Mono.empty();
	}

	/**
	 * Called when a custom event was dispatched inside a run; the returned {@code Mono}
	 * is awaited without blocking.
	 */
	default Mono<Void> onCustomEvent(CustomEvent event) {
		return Mono.empty();
	}

}
