/**
 * Token accounting over Spring AI's real Ollama client and a local {@code /api/chat}
 * server.
 */
@NullMarked
package dev.callbacks.ollama;

import org.jspecify.annotations.NullMarked;
