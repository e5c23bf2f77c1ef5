package dev.callbacks.handlers;

import dev.callbacks.CallbackHandler;
import dev.callbacks.event.CallbackEvent;
import dev.callbacks.event.ChainEndEvent;
import dev.callbacks.event.ChainErrorEvent;
import dev.callbacks.event.ChainStartEvent;
import dev.callbacks.event.ChatModelStartEvent;
import dev.callbacks.event.CustomEvent;
import dev.callbacks.event.LlmEndEvent;
import dev.callbacks.event.LlmErrorEvent;
import dev.callbacks.event.RetrieverEndEvent;
import dev.callbacks.event.RetrieverErrorEvent;
import dev.callbacks.event.RetrieverStartEvent;
import dev.callbacks.event.ToolEndEvent;
import dev.callbacks.event.ToolErrorEvent;
import dev.callbacks.event.ToolStartEvent;

/**
 * A handler that treats every event alike: the built-in line handlers differ only in
 * where a line goes. Tokens are left out (a line per token is noise, tokens are
 * completion text, and not listening makes streams cheaper).
 */
abstract class EventLineHandler implements CallbackHandler {

	final EventFormatter formatter;

	EventLineHandler(boolean includeContent) {
		this.formatter = new EventFormatter(includeContent);
	}

	/** Handles one event. */
	abstract void handle(CallbackEvent event);

	@Override
	public void onChatModelStart(ChatModelStartEvent event) {
		handle(event);
	}

	@Override
	public void onLlmEnd(LlmEndEvent event) {
		handle(event);
	}

	@Override
	public void onLlmError(LlmErrorEvent event) {
		handle(event);
	}

	@Override
	public void onChainStart(ChainStartEvent event) {
		handle(event);
	}

	@Override
	public void onChainEnd(ChainEndEvent event) {
		handle(event);
	}

	@Override
	public void onChainError(ChainErrorEvent event) {
		handle(event);
	}

	@Override
	public void onToolStart(ToolStartEvent event) {
		handle(event);
	}

	@Override
	public void onToolEnd(ToolEndEvent event) {
		handle(event);
	}

	@Override
	public void onToolError(ToolErrorEvent event) {
		handle(event);
	}

	@Override
	public void onRetrieverStart(RetrieverStartEvent event) {
		handle(event);
	}

	@Override
	public void onRetrieverEnd(RetrieverEndEvent event) {
		handle(event);
	}

	@Override
	public void onRetrieverError(RetrieverErrorEvent event) {
		handle(event);
	}

	@Override
	public void onCustomEvent(CustomEvent event) {
		handle(event);
	}

}
