/**
 * A built-in, offline chat model for the flower shop: rule-based answers from the
 * catalogue, tool calls like a real model, token-by-token streaming and usage counted
 * with a real tokenizer.
 */
@NullMarked
package dev.callbacks.demo.model;

import org.jspecify.annotations.NullMarked;
