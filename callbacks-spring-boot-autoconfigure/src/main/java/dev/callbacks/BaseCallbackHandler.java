package dev.callbacks;

/**
 * What every handler has, sync or async: flags that say which events it wants and whether
 * its failures fail the call. Implement {@link CallbackHandler} or
 * {@link AsyncCallbackHandler}, not this.
 * <p>
 * The flags are read once when a run tree starts (when the {@code ChatClient} call
 * starts).
 */
public sealed interface BaseCallbackHandler permits CallbackHandler, AsyncCallbackHandler {

	/** Whether to skip chat-model start, new token, LLM end and LLM error events. */
	default boolean ignoreLlm() {
		return false;
	}

	/** Whether to skip chain start, end and error events. */
	default boolean ignoreChain() {
		return false;
	}

	/** Whether to skip tool start, end and error events. */
	default boolean ignoreTool() {
		return false;
	}

	/** Whether to skip retriever start, end and error events. */
	default boolean ignoreRetriever() {
		return false;
	}

	/** Whether to skip embedding start, end and error events. */
	default boolean ignoreEmbedding() {
		return false;
	}

	/** Whether to skip custom events. */
	default boolean ignoreCustomEvent() {
		return false;
	}

	/**
	 * Whether an exception thrown by this handler fails the call. When {@code false} (the
	 * default) the failure is logged at WARN, counted in
	 * {@code callbacks.handler.errors}, and the chat goes on.
	 */
	default boolean raiseError() {
		return false;
	}

}
