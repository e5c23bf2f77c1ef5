package dev.callbacks.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.springframework.util.Assert;

/**
 * Which ledger rows to add up and how to group them: runs that started in
 * {@code [from, to)}, matching every filter, grouped by the given dimensions (none: one
 * total).
 *
 * @param from the first instant included
 * @param to the first instant excluded
 * @param groupBy the dimensions to group by, in order
 * @param filters exact values the rows must have
 */
public record UsageQuery(Instant from, Instant to, List<UsageDimension> groupBy, Map<UsageDimension, String> filters) {

	public UsageQuery {
		Assert.notNull(from, "from must not be null");
		Assert.notNull(to, "to must not be null");
		Assert.isTrue(from.isBefore(to), "from must be before to");
		Assert.noNullElements(groupBy, "groupBy must not contain null");
		Assert.isTrue(groupBy.stream().distinct().count() == groupBy.size(), "groupBy must not repeat a dimension");
		Assert.isTrue(!filters.containsKey(UsageDimension.DAY), "filter by day with from and to");
		filters.forEach((dimension, value) -> Assert.notNull(value, () -> dimension.key() + " must not be null"));
		groupBy = List.copyOf(groupBy);
		filters = filters.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(filters));
	}

	/** Every run that started in {@code [from, to)}, as one total. */
	public static UsageQuery between(Instant from, Instant to) {
		return new UsageQuery(from, to, List.of(), Map.of());
	}

	/** This query, grouped by {@code dimensions} (replacing any grouping). */
	public UsageQuery groupBy(UsageDimension... dimensions) {
		return new UsageQuery(this.from, this.to, List.of(dimensions), this.filters);
	}

	/** This query, limited to rows whose {@code dimension} is {@code value}. */
	public UsageQuery where(UsageDimension dimension, String value) {
		Map<UsageDimension, String> filters = new EnumMap<>(UsageDimension.class);
		filters.putAll(this.filters);
		filters.put(dimension, value);
		return new UsageQuery(this.from, this.to, new ArrayList<>(this.groupBy), filters);
	}

}
