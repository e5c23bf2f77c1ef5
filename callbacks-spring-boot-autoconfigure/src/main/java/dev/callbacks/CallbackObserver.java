package dev.callbacks;

/**
 * Accounting hook of the {@link CallbackManager}: told about every ended LLM run, every
 * ended tool run, every ended embedding call and every failed handler. The Micrometer
 * meters are one; unlike a {@link CallbackHandler} it sees timings and costs and costs
 * nothing per token. Implementations must be fast and thread-safe and must not throw.
 */
public interface CallbackObserver {

	/** An LLM run ended, successfully or not. */
	default void onLlmRun(LlmRunRecord run) {
	}

	/** A tool run ended, successfully or not. */
	default void onToolRun(ToolRunRecord run) {
	}

	/**
	 * An embedding call of an {@code EmbeddingModel} bean ended, successfully or not,
	 * inside a run tree or outside any (indexing).
	 */
	default void onEmbeddingRun(EmbeddingRunRecord run) {
	}

	/**
	 * A handler threw (or an async handler failed or timed out).
	 * @param handler the handler's class name
	 * @param event the handler method, such as {@code onLlmEnd}
	 * @param error what it threw
	 */
	default void onHandlerError(String handler, String event, Throwable error) {
	}

}
