package dev.callbacks.demo.web;

import java.util.List;

import dev.callbacks.demo.memory.ConversationReport;

/**
 * The three-turn conversation under every kind of memory.
 *
 * @param turns what the customer says, turn by turn
 * @param windowMessages how many messages window memory keeps
 * @param memories one report per kind of memory: buffer, window, summary
 */
public record MemoryReport(List<String> turns, int windowMessages, List<ConversationReport> memories) {
}
