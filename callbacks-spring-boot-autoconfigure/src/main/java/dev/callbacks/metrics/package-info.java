/**
 * Micrometer meters for LLM usage ({@code llm.*}) and handler failures
 * ({@code callbacks.handler.errors}).
 */
@NullMarked
package dev.callbacks.metrics;

import org.jspecify.annotations.NullMarked;
