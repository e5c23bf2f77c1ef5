package dev.callbacks.ledger;

import java.math.BigDecimal;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Ledger rows added up: one group of a {@link UsageQuery}.
 *
 * @param group the group's value of each grouping dimension, by
 * {@link UsageDimension#key()} ({@code null} where runs carried none); empty when not
 * grouped
 * @param requests LLM runs
 * @param failedRequests runs that did not succeed (error, cancelled, rejected)
 * @param inputTokens every input token, cache reads and writes included
 * @param outputTokens every output token, reasoning included
 * @param totalTokens input plus output
 * @param cacheReadTokens the input read from the provider's prompt cache
 * @param cacheWriteTokens the input written to the provider's prompt cache
 * @param cacheWrite1hTokens the part of the cache writes with a one-hour time to live
 * @param reasoningTokens the output spent on reasoning
 * @param estimatedRequests runs whose tokens were counted with a tokenizer because the
 * provider reported none
 * @param cost USD, of the priced runs
 * @param unpricedRequests runs of models without a price (not in {@code cost})
 */
public record UsageTotals(Map<String, @Nullable String> group, long requests, long failedRequests, long inputTokens,
		long outputTokens, long totalTokens, long cacheReadTokens, long cacheWriteTokens, long cacheWrite1hTokens,
		long reasoningTokens, long estimatedRequests, BigDecimal cost, long unpricedRequests) {

}
