/**
 * Token accounting over Spring AI's real Anthropic client and a local Anthropic Messages
 * API server.
 */
@NullMarked
package dev.callbacks.anthropic;

import org.jspecify.annotations.NullMarked;
