/**
 * Built-in handlers: {@link dev.callbacks.handlers.StdOutCallbackHandler} (what
 * {@code callbacks.verbose} adds),
 * {@link dev.callbacks.handlers.StreamingStdOutCallbackHandler},
 * {@link dev.callbacks.handlers.FileCallbackHandler} and
 * {@link dev.callbacks.handlers.LoggingCallbackHandler}. None of them writes prompt or
 * completion text unless asked to.
 */
@NullMarked
package dev.callbacks.handlers;

import org.jspecify.annotations.NullMarked;
