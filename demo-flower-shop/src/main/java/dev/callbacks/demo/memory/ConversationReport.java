package dev.callbacks.demo.memory;

import java.util.List;

import dev.callbacks.demo.usage.TokenCounts;

/**
 * The conversation under one kind of memory.
 *
 * @param memory {@code buffer}, {@code window} or {@code summary}
 * @param description what the memory sends to the model
 * @param turns the turns, in order
 * @param total the sum of the turns
 */
public record ConversationReport(String memory, String description, List<TurnReport> turns, TokenCounts total) {
}
