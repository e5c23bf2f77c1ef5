/**
 * Token accounting over Spring AI's real Google GenAI client and a local Gemini API
 * server.
 */
@NullMarked
package dev.callbacks.gemini;

import org.jspecify.annotations.NullMarked;
