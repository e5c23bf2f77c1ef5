/**
 * Micrometer meters for LLM usage and tool runs ({@code llm.*}), optionally under the
 * OpenTelemetry GenAI names ({@code gen_ai.client.*}), and handler failures
 * ({@code callbacks.handler.errors}).
 */
@NullMarked
package dev.callbacks.metrics;

import org.jspecify.annotations.NullMarked;
