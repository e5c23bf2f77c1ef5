/**
 * The event records delivered to {@link dev.callbacks.CallbackHandler} and
 * {@link dev.callbacks.AsyncCallbackHandler} methods, one record per event.
 */
@NullMarked
package dev.callbacks.event;

import org.jspecify.annotations.NullMarked;
