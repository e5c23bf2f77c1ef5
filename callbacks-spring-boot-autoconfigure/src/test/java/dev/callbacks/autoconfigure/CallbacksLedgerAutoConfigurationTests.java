package dev.callbacks.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import dev.callbacks.CallbackManager;
import dev.callbacks.ledger.JdbcUsageLedger;
import dev.callbacks.ledger.UsageLedger;
import dev.callbacks.ledger.UsageLedgerRecorder;
import dev.callbacks.ledger.UsageQuery;
import dev.callbacks.metrics.LedgerMeterBinder;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;

class CallbacksLedgerAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(CallbacksAutoConfiguration.class, CallbacksLedgerAutoConfiguration.class))
		.withBean(DataSource.class, CallbacksLedgerAutoConfigurationTests::h2);

	@Test
	void offByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(UsageLedgerRecorder.class)
			.doesNotHaveBean(UsageLedger.class)
			.doesNotHaveBean(LedgerSchemaInitializer.class));
	}

	@Test
	void onWithADataSourceTheManagerHandsEndedRunsToTheRecorder() {
		this.contextRunner.withPropertyValues("callbacks.ledger.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(UsageLedgerRecorder.class)
				.hasSingleBean(JdbcUsageLedger.class)
				.hasSingleBean(LedgerSchemaInitializer.class);
			assertThat(context.getBean(CallbackManager.class)).extracting("observers")
				.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
				.containsExactly(context.getBean(UsageLedgerRecorder.class));
			// An embedded database gets the table by default.
			assertThat(count(context.getBean(DataSource.class), "callbacks_llm_usage")).isZero();
		});
	}

	@Test
	void offWithoutADataSource() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(CallbacksAutoConfiguration.class, CallbacksLedgerAutoConfiguration.class))
			.withPropertyValues("callbacks.ledger.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(UsageLedgerRecorder.class));
	}

	@Test
	void offWhenCallbacksAreDisabled() {
		this.contextRunner.withPropertyValues("callbacks.ledger.enabled=true", "callbacks.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(UsageLedgerRecorder.class));
	}

	@Test
	void offWithoutSpringJdbc() {
		this.contextRunner.withPropertyValues("callbacks.ledger.enabled=true")
			.withClassLoader(new FilteredClassLoader(JdbcClient.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(UsageLedgerRecorder.class));
	}

	@Test
	void findsTheDataSourceOfSpringBootsOwnAutoConfiguration() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CallbacksAutoConfiguration.class,
					CallbacksLedgerAutoConfiguration.class, DataSourceAutoConfiguration.class))
			.withPropertyValues("callbacks.ledger.enabled=true")
			.run((context) -> {
				assertThat(context).hasSingleBean(UsageLedgerRecorder.class);
				assertThat(context.getBean(UsageLedger.class)
					.totals(UsageQuery.between(Instant.EPOCH, Instant.now().plusSeconds(60)))).isEmpty();
			});
	}

	@Test
	void backsOffFromTheUsersBeans() {
		UsageLedger own = (query) -> List.of();
		this.contextRunner.withPropertyValues("callbacks.ledger.enabled=true")
			.withBean(UsageLedger.class, () -> own)
			.run((context) -> assertThat(context.getBean(UsageLedger.class)).isSameAs(own));
	}

	@Test
	void neverInitializeSchemaLeavesTheDatabaseAlone() {
		this.contextRunner
			.withPropertyValues("callbacks.ledger.enabled=true", "callbacks.ledger.initialize-schema=never")
			.run((context) -> {
				assertThat(context).hasSingleBean(UsageLedgerRecorder.class)
					.doesNotHaveBean(LedgerSchemaInitializer.class);
				assertThat(tableExists(context.getBean(DataSource.class), "CALLBACKS_LLM_USAGE")).isFalse();
			});
	}

	@Test
	void createsTheConfiguredTable() {
		this.contextRunner
			.withPropertyValues("callbacks.ledger.enabled=true", "callbacks.ledger.table-name=shop_llm_ledger")
			.run((context) -> {
				assertThat(tableExists(context.getBean(DataSource.class), "SHOP_LLM_LEDGER")).isTrue();
				assertThat(tableExists(context.getBean(DataSource.class), "CALLBACKS_LLM_USAGE")).isFalse();
			});
	}

	@Test
	void invalidPropertiesFailNamingTheProperty() {
		assertFailsNaming("callbacks.ledger.table-name", "callbacks.ledger.table-name=usage; DROP TABLE users");
		assertFailsNaming("callbacks.ledger.table-name", "callbacks.ledger.table-name=1usage");
		assertFailsNaming("callbacks.ledger.buffer-size", "callbacks.ledger.buffer-size=0");
		assertFailsNaming("callbacks.ledger.batch-size", "callbacks.ledger.batch-size=0");
		assertFailsNaming("callbacks.ledger.batch-size", "callbacks.ledger.buffer-size=10",
				"callbacks.ledger.batch-size=11");
		assertFailsNaming("callbacks.ledger.flush-interval", "callbacks.ledger.flush-interval=0s");
		assertFailsNaming("callbacks.ledger.retry.max-attempts", "callbacks.ledger.retry.max-attempts=0");
		assertFailsNaming("callbacks.ledger.retry.initial-backoff", "callbacks.ledger.retry.initial-backoff=-1s");
		assertFailsNaming("callbacks.ledger.retry.max-backoff", "callbacks.ledger.retry.initial-backoff=2s",
				"callbacks.ledger.retry.max-backoff=1s");
		assertFailsNaming("callbacks.ledger.shutdown-timeout", "callbacks.ledger.shutdown-timeout=-1s");
	}

	@Test
	void theRecorderIsClosedWithTheContext() {
		UsageLedgerRecorder[] recorder = new UsageLedgerRecorder[1];
		this.contextRunner.withPropertyValues("callbacks.ledger.enabled=true")
			.run((context) -> recorder[0] = context.getBean(UsageLedgerRecorder.class));
		recorder[0].onLlmRun(dev.callbacks.test.LlmRuns.run());
		assertThat(recorder[0].droppedRuns(dev.callbacks.ledger.DropReason.SHUTDOWN)).isEqualTo(1);
	}

	@Test
	void countsDropsOnAMeter() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
			.withPropertyValues("callbacks.ledger.enabled=true")
			.run((context) -> {
				assertThat(context).hasSingleBean(LedgerMeterBinder.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				UsageLedgerRecorder recorder = context.getBean(UsageLedgerRecorder.class);
				recorder.onLlmRun(dev.callbacks.test.LlmRuns.run());
				assertThat(recorder.flush(Duration.ofSeconds(30))).isTrue();
				assertThat(registry.get(LedgerMeterBinder.WRITTEN).functionCounter().count()).isEqualTo(1);
				assertThat(registry.get(LedgerMeterBinder.DROPPED)
					.tag(LedgerMeterBinder.TAG_REASON, "buffer-full")
					.functionCounter()
					.count()).isZero();
				assertThat(registry.get(LedgerMeterBinder.BUFFERED).gauge().value()).isZero();
			});
	}

	private void assertFailsNaming(String property, String... properties) {
		this.contextRunner.withPropertyValues("callbacks.ledger.enabled=true")
			.withPropertyValues(properties)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("Property " + property + " with value"));
	}

	private static DataSource h2() {
		return new SimpleDriverDataSource(new org.h2.Driver(),
				"jdbc:h2:mem:ledger-config-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
	}

	private static long count(DataSource dataSource, String table) {
		return new JdbcTemplate(dataSource).queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
	}

	private static boolean tableExists(DataSource dataSource, String table) {
		return new JdbcTemplate(dataSource).queryForObject(
				"SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = ?", Long.class, table) > 0;
	}

}
