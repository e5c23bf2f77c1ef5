package dev.callbacks.demo.web;

import java.time.Instant;

/**
 * A customer's daily budget as the page shows it: the configured limit, what the
 * customer's model calls used in the current period according to the usage ledger, and
 * when the period ends.
 *
 * @param budget the budget's name ({@code callbacks.budgets.<name>})
 * @param conversationId the customer (each conversation is one)
 * @param period the budget's period, lower case ({@code day})
 * @param limitTokens the limit in tokens
 * @param spentTokens the tokens of the customer's model calls in this period
 * @param remainingTokens what is left, never negative
 * @param periodStart when the current period started
 * @param resetsAt when the budget starts afresh
 */
public record CustomerBudget(String budget, String conversationId, String period, long limitTokens, long spentTokens,
		long remainingTokens, Instant periodStart, Instant resetsAt) {

}
