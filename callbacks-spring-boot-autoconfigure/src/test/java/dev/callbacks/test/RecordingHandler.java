package dev.callbacks.test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.callbacks.CallbackHandler;
import dev.callbacks.event.CallbackEvent;
import dev.callbacks.event.ChainEndEvent;
import dev.callbacks.event.ChainErrorEvent;
import dev.callbacks.event.ChainStartEvent;
import dev.callbacks.event.ChatModelStartEvent;
import dev.callbacks.event.CustomEvent;
import dev.callbacks.event.LlmEndEvent;
import dev.callbacks.event.LlmErrorEvent;
import dev.callbacks.event.LlmNewTokenEvent;
import dev.callbacks.event.RetrieverEndEvent;
import dev.callbacks.event.EmbeddingEndEvent;
import dev.callbacks.event.EmbeddingErrorEvent;
import dev.callbacks.event.EmbeddingStartEvent;
import dev.callbacks.event.RetrieverErrorEvent;
import dev.callbacks.event.RetrieverStartEvent;
import dev.callbacks.event.ToolEndEvent;
import dev.callbacks.event.ToolErrorEvent;
import dev.callbacks.event.ToolStartEvent;

/** Records every event it receives, in order, thread-safely. */
public class RecordingHandler implements CallbackHandler {

	private final List<CallbackEvent> events = Collections.synchronizedList(new ArrayList<>());

	public List<CallbackEvent> events() {
		synchronized (this.events) {
			return List.copyOf(this.events);
		}
	}

	public <T extends CallbackEvent> List<T> events(Class<T> type) {
		return events().stream().filter(type::isInstance).map(type::cast).toList();
	}

	public <T extends CallbackEvent> T single(Class<T> type) {
		List<T> found = events(type);
		if (found.size() != 1) {
			throw new AssertionError(
					"expected one " + type.getSimpleName() + " but got " + found.size() + ": " + kinds());
		}
		return found.get(0);
	}

	/**
	 * Event kinds in order, with tokens collapsed: e.g. [chain_start, llm_start, token,
	 * token, llm_end, ...].
	 */
	public List<String> kinds() {
		return events().stream().map(RecordingHandler::kind).toList();
	}

	/** Event kinds in order, consecutive tokens collapsed into one "tokens". */
	public List<String> shape() {
		List<String> shape = new ArrayList<>();
		for (String kind : kinds()) {
			String k = kind.equals("token") ? "tokens" : kind;
			if (!(k.equals("tokens") && !shape.isEmpty() && shape.get(shape.size() - 1).equals("tokens"))) {
				shape.add(k);
			}
		}
		return shape;
	}

	/** The events of one run, in order. */
	public List<String> kindsOf(UUID runId) {
		return events().stream().filter(e -> e.runId().equals(runId)).map(RecordingHandler::kind).toList();
	}

	public String tokens() {
		return events(LlmNewTokenEvent.class).stream().map(LlmNewTokenEvent::token).collect(Collectors.joining());
	}

	public void clear() {
		this.events.clear();
	}

	protected static String kind(CallbackEvent event) {
		if (event instanceof ChainStartEvent) {
			return "chain_start";
		}
		if (event instanceof ChainEndEvent) {
			return "chain_end";
		}
		if (event instanceof ChainErrorEvent) {
			return "chain_error";
		}
		if (event instanceof ChatModelStartEvent) {
			return "llm_start";
		}
		if (event instanceof LlmNewTokenEvent) {
			return "token";
		}
		if (event instanceof LlmEndEvent) {
			return "llm_end";
		}
		if (event instanceof LlmErrorEvent) {
			return "llm_error";
		}
		if (event instanceof ToolStartEvent) {
			return "tool_start";
		}
		if (event instanceof ToolEndEvent) {
			return "tool_end";
		}
		if (event instanceof ToolErrorEvent) {
			return "tool_error";
		}
		if (event instanceof RetrieverStartEvent) {
			return "retriever_start";
		}
		if (event instanceof RetrieverEndEvent) {
			return "retriever_end";
		}
		if (event instanceof RetrieverErrorEvent) {
			return "retriever_error";
		}
		if (event instanceof EmbeddingStartEvent) {
			return "embedding_start";
		}
		if (event instanceof EmbeddingEndEvent) {
			return "embedding_end";
		}
		if (event instanceof EmbeddingErrorEvent) {
			return "embedding_error";
		}
		if (event instanceof CustomEvent custom) {
			return "custom:" + custom.eventName();
		}
		throw new IllegalArgumentException(event.toString());
	}

	protected void record(CallbackEvent event) {
		this.events.add(event);
	}

	@Override
	public void onChatModelStart(ChatModelStartEvent event) {
		record(event);
	}

	@Override
	public void onLlmNewToken(LlmNewTokenEvent event) {
		record(event);
	}

	@Override
	public void onLlmEnd(LlmEndEvent event) {
		record(event);
	}

	@Override
	public void onLlmError(LlmErrorEvent event) {
		record(event);
	}

	@Override
	public void onChainStart(ChainStartEvent event) {
		record(event);
	}

	@Override
	public void onChainEnd(ChainEndEvent event) {
		record(event);
	}

	@Override
	public void onChainError(ChainErrorEvent event) {
		record(event);
	}

	@Override
	public void onToolStart(ToolStartEvent event) {
		record(event);
	}

	@Override
	public void onToolEnd(ToolEndEvent event) {
		record(event);
	}

	@Override
	public void onToolError(ToolErrorEvent event) {
		record(event);
	}

	@Override
	public void onRetrieverStart(RetrieverStartEvent event) {
		record(event);
	}

	@Override
	public void onRetrieverEnd(RetrieverEndEvent event) {
		record(event);
	}

	@Override
	public void onRetrieverError(RetrieverErrorEvent event) {
		record(event);
	}

	@Override
	public void onEmbeddingStart(EmbeddingStartEvent event) {
		record(event);
	}

	@Override
	public void onEmbeddingEnd(EmbeddingEndEvent event) {
		record(event);
	}

	@Override
	public void onEmbeddingError(EmbeddingErrorEvent event) {
		record(event);
	}

	@Override
	public void onCustomEvent(CustomEvent event) {
		record(event);
	}

}
