package dev.callbacks.autoconfigure;

import java.time.Duration;

import javax.sql.DataSource;

import dev.callbacks.ledger.JdbcLedgerStore;
import dev.callbacks.ledger.JdbcUsageLedger;
import dev.callbacks.ledger.LedgerTable;
import dev.callbacks.ledger.UsageLedger;
import dev.callbacks.ledger.UsageLedgerRecorder;
import dev.callbacks.metrics.LedgerMeterBinder;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.sql.autoconfigure.init.OnDatabaseInitializationCondition;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The usage ledger: every ended LLM run recorded as a row of the application's
 * {@link DataSource} (off the request thread, by a {@link UsageLedgerRecorder} that the
 * callback manager collects as an observer), its table created as
 * {@code callbacks.ledger.initialize-schema} says, and a {@link UsageLedger} to read it.
 * Off unless {@code callbacks.ledger.enabled=true}.
 * <p>
 * After {@code DataSourceAutoConfiguration}: {@code @ConditionalOnBean(DataSource.class)}
 * is evaluated when this configuration is, and would not see the auto-configured
 * DataSource otherwise.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass({ JdbcClient.class, DataSourceScriptDatabaseInitializer.class })
@ConditionalOnBean(DataSource.class)
@ConditionalOnBooleanProperty(name = "callbacks.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty("callbacks.ledger.enabled")
@EnableConfigurationProperties(CallbacksLedgerProperties.class)
public final class CallbacksLedgerAutoConfiguration {

	private static final String PREFIX = "callbacks.ledger.";

	@Bean
	@ConditionalOnMissingBean
	@Conditional(OnLedgerSchemaInitializationCondition.class)
	LedgerSchemaInitializer ledgerSchemaInitializer(DataSource dataSource, CallbacksLedgerProperties properties) {
		return new LedgerSchemaInitializer(dataSource, properties, tableName(properties));
	}

	// Depends on the schema initializer (as any bean using the DataSource should): its
	// first write must find the table.
	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	@DependsOnDatabaseInitialization
	UsageLedgerRecorder usageLedgerRecorder(DataSource dataSource, CallbacksLedgerProperties properties) {
		UsageLedgerRecorder.Settings settings = settings(properties);
		return UsageLedgerRecorder.start(new JdbcLedgerStore(dataSource, tableName(properties)), settings);
	}

	@Bean
	@ConditionalOnMissingBean(UsageLedger.class)
	@DependsOnDatabaseInitialization
	JdbcUsageLedger jdbcUsageLedger(DataSource dataSource, CallbacksLedgerProperties properties) {
		return new JdbcUsageLedger(dataSource, tableName(properties));
	}

	private static String tableName(CallbacksLedgerProperties properties) {
		String name = properties.getTableName();
		if (name == null || !LedgerTable.isValidName(name)) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "table-name", name,
					"must be letters, digits and underscores, not starting with a digit, optionally schema.table, at most "
							+ LedgerTable.MAX_LENGTH + " characters");
		}
		return name;
	}

	private static UsageLedgerRecorder.Settings settings(CallbacksLedgerProperties properties) {
		CallbacksLedgerProperties.Retry retry = properties.getRetry();
		atLeastOne("buffer-size", properties.getBufferSize());
		atLeastOne("batch-size", properties.getBatchSize());
		if (properties.getBatchSize() > properties.getBufferSize()) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "batch-size", properties.getBatchSize(),
					"must not be larger than callbacks.ledger.buffer-size (" + properties.getBufferSize() + ")");
		}
		positive("flush-interval", properties.getFlushInterval());
		atLeastOne("retry.max-attempts", retry.getMaxAttempts());
		positive("retry.initial-backoff", retry.getInitialBackoff());
		positive("retry.max-backoff", retry.getMaxBackoff());
		if (retry.getMaxBackoff().compareTo(retry.getInitialBackoff()) < 0) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "retry.max-backoff", retry.getMaxBackoff(),
					"must not be shorter than callbacks.ledger.retry.initial-backoff (" + retry.getInitialBackoff()
							+ ")");
		}
		Duration shutdownTimeout = properties.getShutdownTimeout();
		if (shutdownTimeout == null || shutdownTimeout.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "shutdown-timeout", shutdownTimeout,
					"must not be negative");
		}
		return new UsageLedgerRecorder.Settings(properties.getBufferSize(), properties.getBatchSize(),
				properties.getFlushInterval(), retry.getMaxAttempts(), retry.getInitialBackoff(), retry.getMaxBackoff(),
				shutdownTimeout);
	}

	private static void atLeastOne(String name, int value) {
		if (value < 1) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + name, value, "must be at least 1");
		}
	}

	private static void positive(String name, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + name, value, "must be a positive duration");
		}
	}

	/**
	 * The ledger's meters, when Micrometer is present. Bound to every registry by Spring
	 * Boot's metrics auto-configuration, like any {@code MeterBinder} bean.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class LedgerMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		LedgerMeterBinder ledgerMeterBinder(UsageLedgerRecorder recorder) {
			return new LedgerMeterBinder(recorder);
		}

	}

	static class OnLedgerSchemaInitializationCondition extends OnDatabaseInitializationCondition {

		OnLedgerSchemaInitializationCondition() {
			super("Usage ledger", PREFIX + "initialize-schema");
		}

	}

}
