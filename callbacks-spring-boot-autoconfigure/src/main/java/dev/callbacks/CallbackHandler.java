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

/**
 * A synchronous callback handler: one no-op method per event; override the ones you need.
 * <p>
 * Declare it as a bean to receive the events of every {@code ChatClient} of the
 * application, or register it per client or per request with
 * {@link Callbacks#handlers(BaseCallbackHandler...)}. Per handler and per run, events
 * arrive in order: start, tokens by index, then exactly one of end or error.
 */
public non-sealed interface CallbackHandler extends BaseCallbackHandler {

	/**
	 * Called when a chat model round trip is about to start (awaited before the model is
	 * called).
	 */
	default void onChatModelStart(ChatModelStartEvent event) {
	}

	/** Called when a streamed token arrived. */
	default void onLlmNewToken(LlmNewTokenEvent event) {
	}

	/** Called when an LLM run ended, with its response and usage. */
	default void onLlmEnd(LlmEndEvent event) {
	}

	/** Called when an LLM run failed or was cancelled. */
	default void onLlmError(LlmErrorEvent event) {
	}

	/** Called when a chain run (a {@code ChatClient} call or stream) started. */
	default void onChainStart(ChainStartEvent event) {
	}

	/** Called when a chain run ended. */
	default void onChainEnd(ChainEndEvent event) {
	}

	/** Called when a chain run failed or was cancelled. */
	default void onChainError(ChainErrorEvent event) {
	}

	/** Called when a tool is about to run. */
	default void onToolStart(ToolStartEvent event) {
	}

	/** Called when a tool returned. */
	default void onToolEnd(ToolEndEvent event) {
	}

	/** Called when a tool threw. */
	default void onToolError(ToolErrorEvent event) {
	}

	/** Called when a retrieval is about to start. */
	default void onRetrieverStart(RetrieverStartEvent event) {
	}

	/** Called when a retrieval returned documents. */
	default void onRetrieverEnd(RetrieverEndEvent event) {
	}

	/** Called when a retrieval failed. */
	default void onRetrieverError(RetrieverErrorEvent event) {
	}

	/**
	 * Called when an {@code EmbeddingModel} bean is about to embed texts (a vector-store
	 * search or an indexing call).
	 */
	default void onEmbeddingStart(EmbeddingStartEvent event) {
	}

	/** Called when an embedding call returned, with its usage. */
	default void onEmbeddingEnd(EmbeddingEndEvent event) {
	}

	/** Called when an embedding call failed. */
	default void onEmbeddingError(EmbeddingErrorEvent event) {
	}

	/** Called when a custom event was dispatched inside a run. */
	default void onCustomEvent(CustomEvent event) {
	}

}
