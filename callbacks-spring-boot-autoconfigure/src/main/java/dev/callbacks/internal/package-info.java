/**
 * The engine behind the API: run trees ({@link dev.callbacks.internal.Run} and its
 * kinds), event delivery ({@link dev.callbacks.internal.Dispatcher}) and accounting
 * ({@link dev.callbacks.internal.Accounting}), created by a
 * {@link dev.callbacks.internal.RunFactory}. Not part of the public API: only the Spring
 * AI adapter ({@code dev.callbacks.ai}) drives it. It receives tokens and usage; it does
 * not read Spring AI responses.
 */
@NullMarked
package dev.callbacks.internal;

import org.jspecify.annotations.NullMarked;
