package dev.callbacks.demo.memory;

import dev.callbacks.demo.usage.TokenCounts;

/**
 * One turn of the conversation.
 *
 * @param turn the turn's number, from 1
 * @param message what the customer said
 * @param reply what the shop answered
 * @param usage the turn's tokens and model calls, the summary call included
 * @param memory what the memory holds after the turn
 */
public record TurnReport(int turn, String message, String reply, TokenCounts usage, String memory) {
}
