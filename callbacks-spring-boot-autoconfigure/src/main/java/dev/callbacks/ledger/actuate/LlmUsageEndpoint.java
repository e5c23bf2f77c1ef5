package dev.callbacks.ledger.actuate;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.callbacks.ledger.UsageDimension;
import dev.callbacks.ledger.UsageLedger;
import dev.callbacks.ledger.UsageQuery;
import dev.callbacks.ledger.UsageTotals;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * {@code /actuator/llmusage}: usage ledger totals over a time range, grouped and
 * filtered. For example
 * {@code /actuator/llmusage?groupBy=conversation&tenant=acme&user=42&from=2025-06-02T00:00:00Z&to=2025-06-09T00:00:00Z}.
 * <p>
 * Parameters, all optional: {@code groupBy} (comma-separated: user, tenant, conversation,
 * model, provider, client, day; none gives one total), {@code from} and {@code to} (ISO
 * instants; default: from the beginning until now), and the filters {@code user},
 * {@code tenant}, {@code conversation}, {@code model}, {@code provider}, {@code client}.
 * Invalid input is answered with 400 Bad Request. Runs that carried no value for a
 * grouping dimension form one group, whose {@code group} has no entry for it (the
 * actuator's JSON leaves out {@code null}s).
 */
@Endpoint(id = "llmusage")
public class LlmUsageEndpoint {

	private final UsageLedger ledger;

	private final Clock clock;

	public LlmUsageEndpoint(UsageLedger ledger) {
		this(ledger, Clock.systemUTC());
	}

	public LlmUsageEndpoint(UsageLedger ledger, Clock clock) {
		Assert.notNull(ledger, "ledger must not be null");
		Assert.notNull(clock, "clock must not be null");
		this.ledger = ledger;
		this.clock = clock;
	}

	@ReadOperation
	public LlmUsageDescriptor usage(@Nullable String groupBy, @Nullable String from, @Nullable String to,
			@Nullable String user, @Nullable String tenant, @Nullable String conversation, @Nullable String model,
			@Nullable String provider, @Nullable String client) {
		Instant end = (to != null) ? instant("to", to) : this.clock.instant();
		Instant start = (from != null) ? instant("from", from) : Instant.EPOCH;
		if (!start.isBefore(end)) {
			throw new InvalidEndpointRequestException("'from' (" + start + ") must be before 'to' (" + end + ")",
					"from must be before to");
		}
		Map<UsageDimension, String> filters = new EnumMap<>(UsageDimension.class);
		filter(filters, UsageDimension.USER, user);
		filter(filters, UsageDimension.TENANT, tenant);
		filter(filters, UsageDimension.CONVERSATION, conversation);
		filter(filters, UsageDimension.MODEL, model);
		filter(filters, UsageDimension.PROVIDER, provider);
		filter(filters, UsageDimension.CLIENT, client);
		UsageQuery query = new UsageQuery(start, end, dimensions(groupBy), filters);
		Map<String, String> filtersByKey = new LinkedHashMap<>();
		query.filters().forEach((dimension, value) -> filtersByKey.put(dimension.key(), value));
		return new LlmUsageDescriptor(start.toString(), end.toString(),
				query.groupBy().stream().map(UsageDimension::key).toList(), filtersByKey, this.ledger.totals(query));
	}

	private static Instant instant(String name, String value) {
		try {
			return Instant.parse(value.trim());
		}
		catch (DateTimeParseException ex) {
			throw new InvalidEndpointRequestException(
					"'" + name + "' must be an ISO-8601 instant such as 2025-06-01T00:00:00Z, but was '" + value + "'",
					name + " must be an ISO-8601 instant");
		}
	}

	private static List<UsageDimension> dimensions(@Nullable String groupBy) {
		List<UsageDimension> dimensions = new ArrayList<>();
		if (!StringUtils.hasText(groupBy)) {
			return dimensions;
		}
		for (String key : StringUtils.commaDelimitedListToStringArray(groupBy)) {
			UsageDimension dimension;
			try {
				dimension = UsageDimension.of(key);
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidEndpointRequestException(
						"'groupBy' must list dimensions among " + UsageDimension.keys() + ", but was '" + groupBy + "'",
						"invalid groupBy");
			}
			if (dimensions.contains(dimension)) {
				throw new InvalidEndpointRequestException("'groupBy' names '" + dimension.key() + "' twice",
						"invalid groupBy");
			}
			dimensions.add(dimension);
		}
		return dimensions;
	}

	private static void filter(Map<UsageDimension, String> filters, UsageDimension dimension, @Nullable String value) {
		if (value != null) {
			filters.put(dimension, value);
		}
	}

	/**
	 * The endpoint's answer.
	 *
	 * @param from the first instant included
	 * @param to the first instant excluded
	 * @param groupBy the grouping dimensions
	 * @param filters the filters applied
	 * @param totals one per group
	 */
	public record LlmUsageDescriptor(String from, String to, List<String> groupBy, Map<String, String> filters,
			List<UsageTotals> totals) implements OperationResponseBody {

	}

}
