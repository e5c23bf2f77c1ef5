package dev.callbacks.event;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * What every callback event carries: the run it belongs to, its parent run and the run's
 * inherited tags and metadata.
 */
public sealed interface CallbackEvent
		permits ChatModelStartEvent, LlmNewTokenEvent, LlmEndEvent, LlmErrorEvent, ChainStartEvent, ChainEndEvent,
		ChainErrorEvent, ToolStartEvent, ToolEndEvent, ToolErrorEvent, RetrieverStartEvent, RetrieverEndEvent,
		RetrieverErrorEvent, EmbeddingStartEvent, EmbeddingEndEvent, EmbeddingErrorEvent, CustomEvent {

	/** The id of the run this event belongs to. */
	UUID runId();

	/**
	 * The id of the enclosing run, or {@code null} for a root run (a chain, or an
	 * embedding call made outside any run).
	 */
	@Nullable UUID parentRunId();

	/**
	 * The run's name: the client's name for a chain run, the model for an LLM run, the
	 * tool's name, ...
	 */
	String name();

	/**
	 * Tags of the run, inherited from every enclosing level (global, client, request,
	 * parent run).
	 */
	List<String> tags();

	/**
	 * Metadata of the run, inherited like the tags; inner levels override outer ones key
	 * by key.
	 */
	Map<String, Object> metadata();

	/** Whom the run was made for, read from its metadata. */
	default RunIdentity identity() {
		return RunIdentity.of(metadata());
	}

}
