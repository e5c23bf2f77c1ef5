package dev.callbacks.ledger;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reads totals from the ledger table with one {@code GROUP BY} query.
 */
public final class JdbcUsageLedger implements UsageLedger {

	private static final Comparator<@Nullable String> NULLS_LAST = Comparator
		.nullsLast(Comparator.<String>naturalOrder());

	private final JdbcClient jdbc;

	private final String table;

	/**
	 * Reads table {@code tableName} (see {@link LedgerTable#isValidName}) of
	 * {@code dataSource}.
	 */
	public JdbcUsageLedger(DataSource dataSource, String tableName) {
		this.jdbc = JdbcClient.create(dataSource);
		this.table = LedgerTable.requireValidName(tableName);
	}

	@Override
	public List<UsageTotals> totals(UsageQuery query) {
		List<Object> params = new ArrayList<>();
		StringBuilder sql = new StringBuilder("SELECT ");
		for (int i = 0; i < query.groupBy().size(); i++) {
			sql.append(query.groupBy().get(i).column()).append(" AS g").append(i).append(", ");
		}
		sql.append("COUNT(*) AS requests")
			.append(", SUM(CASE WHEN outcome = 'success' THEN 0 ELSE 1 END) AS failed_requests")
			.append(", SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens")
			.append(", SUM(total_tokens) AS total_tokens, SUM(cache_read_tokens) AS cache_read_tokens")
			.append(", SUM(cache_write_tokens) AS cache_write_tokens")
			.append(", SUM(cache_write_1h_tokens) AS cache_write_1h_tokens")
			.append(", SUM(reasoning_tokens) AS reasoning_tokens")
			.append(", SUM(CASE WHEN estimated THEN 1 ELSE 0 END) AS estimated_requests")
			.append(", SUM(cost_usd) AS cost_usd")
			.append(", SUM(CASE WHEN cost_usd IS NULL THEN 1 ELSE 0 END) AS unpriced_requests")
			.append(" FROM ")
			.append(this.table)
			.append(" WHERE started_at >= ? AND started_at < ?");
		params.add(query.from().atOffset(ZoneOffset.UTC));
		params.add(query.to().atOffset(ZoneOffset.UTC));
		query.filters().forEach((dimension, value) -> {
			sql.append(" AND ").append(dimension.column()).append(" = ?");
			params.add(value);
		});
		if (!query.groupBy().isEmpty()) {
			sql.append(" GROUP BY ");
			for (int i = 0; i < query.groupBy().size(); i++) {
				sql.append((i > 0) ? ", " : "").append(query.groupBy().get(i).column());
			}
		}
		List<UsageTotals> totals = new ArrayList<>(this.jdbc.sql(sql.toString())
			.params(params)
			.query((resultSet, row) -> totals(resultSet, query.groupBy()))
			.list());
		// Without GROUP BY, an empty range still yields one row (of zeros).
		totals.removeIf((total) -> total.requests() == 0);
		totals.sort(byGroup(query.groupBy()));
		return Collections.unmodifiableList(totals);
	}

	private static UsageTotals totals(ResultSet resultSet, List<UsageDimension> groupBy) throws SQLException {
		Map<String, @Nullable String> group = new LinkedHashMap<>();
		for (int i = 0; i < groupBy.size(); i++) {
			group.put(groupBy.get(i).key(), text(resultSet.getObject("g" + i)));
		}
		BigDecimal cost = resultSet.getBigDecimal("cost_usd");
		return new UsageTotals(Collections.unmodifiableMap(group), resultSet.getLong("requests"),
				resultSet.getLong("failed_requests"), resultSet.getLong("input_tokens"),
				resultSet.getLong("output_tokens"), resultSet.getLong("total_tokens"),
				resultSet.getLong("cache_read_tokens"), resultSet.getLong("cache_write_tokens"),
				resultSet.getLong("cache_write_1h_tokens"), resultSet.getLong("reasoning_tokens"),
				resultSet.getLong("estimated_requests"), plain(cost), resultSet.getLong("unpriced_requests"));
	}

	private static BigDecimal plain(@Nullable BigDecimal cost) {
		if (cost == null) {
			return BigDecimal.ZERO;
		}
		BigDecimal stripped = cost.stripTrailingZeros();
		return (stripped.scale() < 0) ? stripped.setScale(0) : stripped;
	}

	private static @Nullable String text(@Nullable Object value) {
		if (value instanceof Date date) {
			return date.toLocalDate().toString();
		}
		if (value instanceof java.time.LocalDate date) {
			return date.toString();
		}
		return (value != null) ? value.toString() : null;
	}

	private static Comparator<UsageTotals> byGroup(List<UsageDimension> groupBy) {
		Comparator<UsageTotals> order = (a, b) -> 0;
		for (UsageDimension dimension : groupBy) {
			order = order.thenComparing((totals) -> totals.group().get(dimension.key()), NULLS_LAST);
		}
		return order;
	}

}
