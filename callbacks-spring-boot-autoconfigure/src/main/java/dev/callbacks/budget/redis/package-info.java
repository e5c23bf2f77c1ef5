/**
 * A {@link dev.callbacks.budget.BudgetStore} in Redis, for budgets shared by a cluster
 * (Spring Data Redis on Lettuce).
 */
@NullMarked
package dev.callbacks.budget.redis;

import org.jspecify.annotations.NullMarked;
