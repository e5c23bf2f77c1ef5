package dev.callbacks.autoconfigure;

import java.time.Duration;

import dev.callbacks.ledger.LedgerTable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.init.DatabaseInitializationProperties;

/**
 * Properties of the usage ledger ({@code callbacks.ledger.*}): a row per LLM run in the
 * application's database. Besides these, {@code initialize-schema} ({@code embedded},
 * {@code always}, {@code never}), {@code schema}, {@code platform} and
 * {@code continue-on-error} control the table's creation, as for Spring's own JDBC
 * stores.
 */
@ConfigurationProperties("callbacks.ledger")
public class CallbacksLedgerProperties extends DatabaseInitializationProperties {

	private static final String DEFAULT_SCHEMA_LOCATION = "classpath:dev/callbacks/ledger/schema-@@platform@@.sql";

	/**
	 * Whether to record every LLM run (tokens, cost, user, tenant, conversation) in the
	 * application's DataSource.
	 */
	private boolean enabled;

	/**
	 * Name of the ledger table: letters, digits and underscores, optionally qualified
	 * with a schema.
	 */
	private String tableName = LedgerTable.DEFAULT_NAME;

	/**
	 * Runs buffered while waiting to be written; beyond it runs are dropped (and counted
	 * in callbacks.ledger.dropped).
	 */
	private int bufferSize = 10_000;

	/**
	 * Runs written per batch at most.
	 */
	private int batchSize = 500;

	/**
	 * How long the writer waits for a batch to fill before writing what it has.
	 */
	private Duration flushInterval = Duration.ofSeconds(1);

	/**
	 * How long shutdown waits for the buffered runs to be written.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(10);

	private final Retry retry = new Retry();

	public CallbacksLedgerProperties() {
		// The scripts are idempotent (CREATE ... IF NOT EXISTS): an error is a real one.
		setContinueOnError(false);
	}

	@Override
	public String getDefaultSchemaLocation() {
		return DEFAULT_SCHEMA_LOCATION;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getTableName() {
		return this.tableName;
	}

	public void setTableName(String tableName) {
		this.tableName = tableName;
	}

	public int getBufferSize() {
		return this.bufferSize;
	}

	public void setBufferSize(int bufferSize) {
		this.bufferSize = bufferSize;
	}

	public int getBatchSize() {
		return this.batchSize;
	}

	public void setBatchSize(int batchSize) {
		this.batchSize = batchSize;
	}

	public Duration getFlushInterval() {
		return this.flushInterval;
	}

	public void setFlushInterval(Duration flushInterval) {
		this.flushInterval = flushInterval;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Retry getRetry() {
		return this.retry;
	}

	/**
	 * Retries of a batch that could not be written.
	 */
	public static class Retry {

		/**
		 * Attempts to write a batch before its runs are dropped.
		 */
		private int maxAttempts = 10;

		/**
		 * Wait after the first failed attempt; doubled after each further one.
		 */
		private Duration initialBackoff = Duration.ofMillis(100);

		/**
		 * Longest wait between two attempts.
		 */
		private Duration maxBackoff = Duration.ofSeconds(5);

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

	}

}
