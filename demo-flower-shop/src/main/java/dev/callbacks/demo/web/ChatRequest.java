package dev.callbacks.demo.web;

import org.jspecify.annotations.Nullable;

/**
 * A customer's message.
 *
 * @param message what the customer says
 * @param conversationId the conversation it continues; a new one when absent
 */
public record ChatRequest(@Nullable String message, @Nullable String conversationId) {
}
