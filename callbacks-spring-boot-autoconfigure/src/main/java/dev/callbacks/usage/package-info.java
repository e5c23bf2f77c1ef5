/**
 * What an LLM call used and what it costs: {@link dev.callbacks.usage.TokenUsage} and
 * {@link dev.callbacks.usage.ModelPrices}. Shared by events, trackers and meters.
 */
@NullMarked
package dev.callbacks.usage;

import org.jspecify.annotations.NullMarked;
