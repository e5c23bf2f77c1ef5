package dev.callbacks.demo.web;

import dev.callbacks.demo.usage.TokenCounts;

/**
 * The shop's answer.
 *
 * @param conversationId the conversation, to continue it
 * @param reply the answer
 * @param model the model that answered, as it reported itself
 * @param usage this request's tokens, model calls and cost
 */
public record ChatReply(String conversationId, String reply, String model, TokenCounts usage) {
}
