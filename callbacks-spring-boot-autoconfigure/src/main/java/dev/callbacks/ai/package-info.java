/**
 * The Spring AI adapter: advisors that turn a {@code ChatClient} call into a chain run
 * and each model round trip into an LLM run, and decorators that turn tool executions and
 * retrievals into tool and retriever runs.
 */
@NullMarked
package dev.callbacks.ai;

import org.jspecify.annotations.NullMarked;
