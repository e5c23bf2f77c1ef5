/**
 * Budgets: spending limits in tokens or USD, checked before each model round so that a
 * round that would go over budget never starts. {@link dev.callbacks.budget.Budget}
 * defines one, {@link dev.callbacks.budget.BudgetEnforcer} reserves each round's estimate
 * in every budget that applies and settles it with the provider's usage, and a
 * {@link dev.callbacks.budget.BudgetStore} keeps the counts: in memory for one instance,
 * in Redis for a cluster.
 */
@NullMarked
package dev.callbacks.budget;

import org.jspecify.annotations.NullMarked;
