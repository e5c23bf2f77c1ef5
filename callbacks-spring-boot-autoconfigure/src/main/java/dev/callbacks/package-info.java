/**
 * LangChain-style callbacks for Spring AI: the handler interfaces,
 * {@link dev.callbacks.Callbacks} to register them, {@link dev.callbacks.UsageTracker} to
 * count tokens, and the manager that turns a {@code ChatClient} call into a tree of runs.
 * Knows Spring AI's types, not Spring Boot's.
 */
@NullMarked
package dev.callbacks;

import org.jspecify.annotations.NullMarked;
