package dev.callbacks;

import java.util.concurrent.CancellationException;

/**
 * The error of a run that ended because its subscriber cancelled (for example, an HTTP
 * client disconnected mid-stream). Delivered through {@code onLlmError} /
 * {@code onChainError}; never thrown at the caller.
 */
public final class RunCancelledException extends CancellationException {

	private static final long serialVersionUID = 1L;

	public RunCancelledException(String message) {
		super(message);
	}

}
