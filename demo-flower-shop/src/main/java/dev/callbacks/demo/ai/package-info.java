/**
 * The Spring AI side of the shop: which chat model answers (the offline flower-catalogue
 * model, or OpenAI when a key or base URL is given), the chat clients, tools and chat
 * memory.
 */
@NullMarked
package dev.callbacks.demo.ai;

import org.jspecify.annotations.NullMarked;
