/**
 * Reading token usage the way each provider reports it: one small reader per provider
 * (loaded only when that provider's classes are on the class path), a dispatcher that
 * picks the reader for a response, and the rules that turn any report into a valid
 * {@link dev.callbacks.usage.TokenUsage} in the starter's single definition.
 */
@NullMarked
package dev.callbacks.ai.usage;

import org.jspecify.annotations.NullMarked;
