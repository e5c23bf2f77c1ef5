package dev.callbacks.internal;

import dev.callbacks.CallbackHandler;
import dev.callbacks.AsyncCallbackHandler;

import dev.callbacks.event.CallbackEvent;
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
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The events, each a bit in a handler's interest mask, with the one place that maps an
 * event to its handler method (a switch, not reflection, so that dispatch stays a virtual
 * call).
 */
enum EventKind {

	CHAT_MODEL_START("onChatModelStart", Category.LLM, ChatModelStartEvent.class),
	LLM_NEW_TOKEN("onLlmNewToken", Category.LLM, LlmNewTokenEvent.class),
	LLM_END("onLlmEnd", Category.LLM, LlmEndEvent.class), LLM_ERROR("onLlmError", Category.LLM, LlmErrorEvent.class),
	CHAIN_START("onChainStart", Category.CHAIN, ChainStartEvent.class),
	CHAIN_END("onChainEnd", Category.CHAIN, ChainEndEvent.class),
	CHAIN_ERROR("onChainError", Category.CHAIN, ChainErrorEvent.class),
	TOOL_START("onToolStart", Category.TOOL, ToolStartEvent.class),
	TOOL_END("onToolEnd", Category.TOOL, ToolEndEvent.class),
	TOOL_ERROR("onToolError", Category.TOOL, ToolErrorEvent.class),
	RETRIEVER_START("onRetrieverStart", Category.RETRIEVER, RetrieverStartEvent.class),
	RETRIEVER_END("onRetrieverEnd", Category.RETRIEVER, RetrieverEndEvent.class),
	RETRIEVER_ERROR("onRetrieverError", Category.RETRIEVER, RetrieverErrorEvent.class),
	EMBEDDING_START("onEmbeddingStart", Category.EMBEDDING, EmbeddingStartEvent.class),
	EMBEDDING_END("onEmbeddingEnd", Category.EMBEDDING, EmbeddingEndEvent.class),
	EMBEDDING_ERROR("onEmbeddingError", Category.EMBEDDING, EmbeddingErrorEvent.class),
	CUSTOM("onCustomEvent", Category.CUSTOM, CustomEvent.class);

	enum Category {

		LLM, CHAIN, TOOL, RETRIEVER, EMBEDDING, CUSTOM;

		int mask() {
			return Masks.BY_CATEGORY[ordinal()];
		}

		// Computed once, on the first call, when every EventKind exists: asked for on
		// every call (which runs a chain needs), and values() copies the array.
		private static final class Masks {

			static final int[] BY_CATEGORY = new int[Category.values().length];

			static {
				for (EventKind kind : EventKind.values()) {
					BY_CATEGORY[kind.category.ordinal()] |= kind.bit;
				}
			}

		}

	}

	final String methodName;

	final Category category;

	final Class<? extends CallbackEvent> eventType;

	final int bit;

	EventKind(String methodName, Category category, Class<? extends CallbackEvent> eventType) {
		this.methodName = methodName;
		this.category = category;
		this.eventType = eventType;
		this.bit = 1 << ordinal();
	}

	void invokeSync(CallbackHandler handler, CallbackEvent event) {
		switch (this) {
			case CHAT_MODEL_START -> handler.onChatModelStart((ChatModelStartEvent) event);
			case LLM_NEW_TOKEN -> handler.onLlmNewToken((LlmNewTokenEvent) event);
			case LLM_END -> handler.onLlmEnd((LlmEndEvent) event);
			case LLM_ERROR -> handler.onLlmError((LlmErrorEvent) event);
			case CHAIN_START -> handler.onChainStart((ChainStartEvent) event);
			case CHAIN_END -> handler.onChainEnd((ChainEndEvent) event);
			case CHAIN_ERROR -> handler.onChainError((ChainErrorEvent) event);
			case TOOL_START -> handler.onToolStart((ToolStartEvent) event);
			case TOOL_END -> handler.onToolEnd((ToolEndEvent) event);
			case TOOL_ERROR -> handler.onToolError((ToolErrorEvent) event);
			case RETRIEVER_START -> handler.onRetrieverStart((RetrieverStartEvent) event);
			case RETRIEVER_END -> handler.onRetrieverEnd((RetrieverEndEvent) event);
			case RETRIEVER_ERROR -> handler.onRetrieverError((RetrieverErrorEvent) event);
			case EMBEDDING_START -> handler.onEmbeddingStart((EmbeddingStartEvent) event);
			case EMBEDDING_END -> handler.onEmbeddingEnd((EmbeddingEndEvent) event);
			case EMBEDDING_ERROR -> handler.onEmbeddingError((EmbeddingErrorEvent) event);
			case CUSTOM -> handler.onCustomEvent((CustomEvent) event);
		}
	}

	@Nullable Mono<Void> invokeAsync(AsyncCallbackHandler handler, CallbackEvent event) {
		return switch (this) {
			case CHAT_MODEL_START -> handler.onChatModelStart((ChatModelStartEvent) event);
			case LLM_NEW_TOKEN -> handler.onLlmNewToken((LlmNewTokenEvent) event);
			case LLM_END -> handler.onLlmEnd((LlmEndEvent) event);
			case LLM_ERROR -> handler.onLlmError((LlmErrorEvent) event);
			case CHAIN_START -> handler.onChainStart((ChainStartEvent) event);
			case CHAIN_END -> handler.onChainEnd((ChainEndEvent) event);
			case CHAIN_ERROR -> handler.onChainError((ChainErrorEvent) event);
			case TOOL_START -> handler.onToolStart((ToolStartEvent) event);
			case TOOL_END -> handler.onToolEnd((ToolEndEvent) event);
			case TOOL_ERROR -> handler.onToolError((ToolErrorEvent) event);
			case RETRIEVER_START -> handler.onRetrieverStart((RetrieverStartEvent) event);
			case RETRIEVER_END -> handler.onRetrieverEnd((RetrieverEndEvent) event);
			case RETRIEVER_ERROR -> handler.onRetrieverError((RetrieverErrorEvent) event);
			case EMBEDDING_START -> handler.onEmbeddingStart((EmbeddingStartEvent) event);
			case EMBEDDING_END -> handler.onEmbeddingEnd((EmbeddingEndEvent) event);
			case EMBEDDING_ERROR -> handler.onEmbeddingError((EmbeddingErrorEvent) event);
			case CUSTOM -> handler.onCustomEvent((CustomEvent) event);
		};
	}

}
