package dev.callbacks.handlers;

import java.io.PrintStream;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.callbacks.CallbackHandler;
import dev.callbacks.event.LlmEndEvent;
import dev.callbacks.event.LlmErrorEvent;
import dev.callbacks.event.LlmNewTokenEvent;

import org.springframework.util.Assert;

/**
 * Prints streamed tokens to standard output as they arrive, and a line break when a round
 * that printed tokens ends: tokens only, nothing else. Printing tokens is its purpose, so
 * it prints completion text by design.
 */
public class StreamingStdOutCallbackHandler implements CallbackHandler {

	private final PrintStream out;

	// Rounds that printed a token and still owe a line break.
	private final Set<UUID> open = ConcurrentHashMap.newKeySet();

	/** Prints to {@code System.out}. */
	public StreamingStdOutCallbackHandler() {
		this(System.out);
	}

	/** Prints to {@code out}. */
	public StreamingStdOutCallbackHandler(PrintStream out) {
		Assert.notNull(out, "out must not be null");
		this.out = out;
	}

	@Override
	public void onLlmNewToken(LlmNewTokenEvent event) {
		if (event.index() == 0) {
			this.open.add(event.runId());
		}
		this.out.print(event.token());
		this.out.flush();
	}

	@Override
	public void onLlmEnd(LlmEndEvent event) {
		endLine(event.runId());
	}

	@Override
	public void onLlmError(LlmErrorEvent event) {
		endLine(event.runId());
	}

	private void endLine(UUID runId) {
		if (this.open.remove(runId)) {
			this.out.println();
		}
	}

}
