package dev.callbacks.ledger;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import javax.sql.DataSource;

import dev.callbacks.LlmRunRecord;
import dev.callbacks.event.RunIdentity;
import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes ledger rows with one JDBC batch per call, in a transaction of its own.
 * <p>
 * Uses {@link JdbcTemplate#batchUpdate} rather than {@code JdbcClient}: Spring Framework
 * 7.0's {@code JdbcClient} has no batch operation, and a row per round trip would make
 * the writer fall behind a busy application.
 * <p>
 * A commit whose outcome was not known (the connection broke while committing) may have
 * succeeded; when the retried batch then hits the primary key, the runs are written one
 * by one and those already present skipped, so each run is written exactly once.
 */
public final class JdbcLedgerStore implements LedgerStore {

	/** Length of the text columns; longer values are cut. */
	static final int TEXT_COLUMN_LENGTH = 255;

	/** Decimal places of the cost column. */
	static final int COST_SCALE = 15;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final String insert;

	/**
	 * Writes into table {@code tableName} (see {@link LedgerTable#isValidName}) of
	 * {@code dataSource}.
	 */
	public JdbcLedgerStore(DataSource dataSource, String tableName) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.insert = "INSERT INTO " + LedgerTable.requireValidName(tableName)
				+ " (run_id, chain_run_id, started_at, usage_day, duration_nanos, time_to_first_token_nanos,"
				+ " provider, model, client_name, outcome, streaming, input_tokens, output_tokens, total_tokens,"
				+ " cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, reasoning_tokens, estimated,"
				+ " cost_usd, user_id, tenant_id, conversation_id, tags, metadata)"
				+ " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	}

	@Override
	public void write(List<LlmRunRecord> runs) {
		if (runs.isEmpty()) {
			return;
		}
		try {
			this.transactions.executeWithoutResult(
					(status) -> this.jdbc.batchUpdate(this.insert, runs, runs.size(), JdbcLedgerStore::bind));
		}
		catch (DuplicateKeyException ex) {
			writeOneByOne(runs);
		}
	}

	private void writeOneByOne(List<LlmRunRecord> runs) {
		for (LlmRunRecord run : runs) {
			try {
				this.jdbc.update(this.insert, (statement) -> bind(statement, run));
			}
			catch (DuplicateKeyException ex) {
				// Written by an earlier attempt.
			}
		}
	}

	private static void bind(PreparedStatement statement, LlmRunRecord run) throws SQLException {
		OffsetDateTime startedAt = run.startedAt().atOffset(ZoneOffset.UTC);
		TokenUsage usage = run.usage();
		RunIdentity identity = run.identity();
		int i = 0;
		statement.setString(++i, run.runId().toString());
		statement.setString(++i, run.chainRunId().toString());
		statement.setObject(++i, startedAt);
		statement.setObject(++i, startedAt.toLocalDate());
		statement.setLong(++i, run.durationNanos());
		if (run.timeToFirstTokenNanos() >= 0) {
			statement.setLong(++i, run.timeToFirstTokenNanos());
		}
		else {
			statement.setNull(++i, Types.BIGINT);
		}
		statement.setString(++i, cut(run.provider()));
		statement.setString(++i, cut(run.model()));
		statement.setString(++i, cut(run.client()));
		statement.setString(++i, run.outcome().tagValue());
		statement.setBoolean(++i, run.streaming());
		statement.setLong(++i, usage.promptTokens());
		statement.setLong(++i, usage.completionTokens());
		statement.setLong(++i, usage.totalTokens());
		statement.setLong(++i, usage.cachedPromptTokens());
		statement.setLong(++i, usage.cacheWriteTokens());
		statement.setLong(++i, usage.cacheWrite1hTokens());
		statement.setLong(++i, usage.reasoningTokens());
		statement.setBoolean(++i, usage.estimated());
		BigDecimal cost = run.cost();
		if (cost != null) {
			statement.setBigDecimal(++i,
					(cost.scale() > COST_SCALE) ? cost.setScale(COST_SCALE, RoundingMode.HALF_EVEN) : cost);
		}
		else {
			statement.setNull(++i, Types.DECIMAL);
		}
		setText(statement, ++i, identity.user());
		setText(statement, ++i, identity.tenant());
		setText(statement, ++i, identity.conversation());
		statement.setString(++i, LedgerJson.tags(run.tags()));
		statement.setString(++i, LedgerJson.metadata(run.metadata()));
	}

	private static void setText(PreparedStatement statement, int index, @Nullable String value) throws SQLException {
		if (value != null) {
			statement.setString(index, cut(value));
		}
		else {
			statement.setNull(index, Types.VARCHAR);
		}
	}

	private static String cut(String value) {
		return (value.length() > TEXT_COLUMN_LENGTH) ? value.substring(0, TEXT_COLUMN_LENGTH) : value;
	}

}
