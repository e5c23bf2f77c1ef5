/**
 * Integration tests over Spring AI's real OpenAI client and a local OpenAI wire-format
 * server.
 */
@NullMarked
package dev.callbacks.openai;

import org.jspecify.annotations.NullMarked;
