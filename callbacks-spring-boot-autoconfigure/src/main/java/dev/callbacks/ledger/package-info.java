/**
 * The usage ledger: a row per LLM run (tokens of every kind, cost, user, tenant,
 * conversation) in the application's database, written off the request thread, and
 * {@link dev.callbacks.ledger.UsageLedger} to read totals back.
 */
@NullMarked
package dev.callbacks.ledger;

import org.jspecify.annotations.NullMarked;
