package dev.callbacks.ledger;

import java.util.List;

/**
 * Reads the usage ledger back: tokens, requests and cost per user, tenant, conversation,
 * model, client or day over a time range. For example, what tenant acme's user 42 spent
 * in each conversation last week:
 *
 * <pre class="code">
 * ledger.totals(UsageQuery.between(weekStart, weekEnd)
 * 	.where(UsageDimension.TENANT, "acme")
 * 	.where(UsageDimension.USER, "42")
 * 	.groupBy(UsageDimension.CONVERSATION));
 * </pre>
 */
public interface UsageLedger {

	/**
	 * The totals of the rows {@code query} selects, one per group, ordered by the group's
	 * values (absent values last); no group without rows.
	 */
	List<UsageTotals> totals(UsageQuery query);

}
