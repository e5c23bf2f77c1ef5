package dev.callbacks;

/**
 * Thrown when a handler with {@link BaseCallbackHandler#raiseError()} fails with a
 * checked exception or times out, so that the call fails with a message naming the
 * handler and the event.
 */
public final class CallbackHandlerException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public CallbackHandlerException(String message, Throwable cause) {
		super(message, cause);
	}

}
