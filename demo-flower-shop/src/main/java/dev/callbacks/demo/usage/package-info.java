/**
 * Token counts as the demo reports them: of one request or turn (from a
 * {@code UsageTracker}) and since start-up (from the {@code llm.*} meters).
 */
@NullMarked
package dev.callbacks.demo.usage;

import org.jspecify.annotations.NullMarked;
