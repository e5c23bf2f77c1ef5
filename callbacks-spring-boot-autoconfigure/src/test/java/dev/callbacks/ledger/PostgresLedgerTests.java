package dev.callbacks.ledger;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import dev.callbacks.test.LlmRuns;
import dev.callbacks.test.PostgresServer;
import dev.callbacks.test.ScriptedChatModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger on a real PostgreSQL server, which the tests also stop in the middle of the
 * load: no chat fails or waits, and every run is written once or counted as dropped.
 */
class PostgresLedgerTests extends LedgerDatabaseTests {

	private PostgresServer server;

	@BeforeAll
	void startServer() {
		this.server = PostgresServer.start();
	}

	@AfterAll
	void stopServer() {
		if (this.server != null) {
			this.server.close();
		}
	}

	@Override
	DataSource dataSource() {
		return this.server.dataSource();
	}

	@Test
	void aDatabaseStoppedMidLoadFailsNoChatAndEveryRunIsWrittenOrCountedAsDropped() {
		String table = newTable();
		ThreadRecordingDataSource dataSource = new ThreadRecordingDataSource(dataSource());
		contextRunner(table, dataSource)
			.withPropertyValues("callbacks.ledger.buffer-size=1000", "callbacks.ledger.batch-size=100",
					"callbacks.ledger.retry.max-attempts=100000", "callbacks.ledger.retry.initial-backoff=20ms",
					"callbacks.ledger.retry.max-backoff=200ms")
			.run((context) -> {
				ChatClient client = chatClient(context,
						new ScriptedChatModel().respondWith(LedgerDatabaseTests::reply));
				RunIds runIds = context.getBean(RunIds.class);
				UsageLedgerRecorder recorder = context.getBean(UsageLedgerRecorder.class);
				// The schema was created on the main thread at start-up; from now on
				// only the writer may use the DataSource.
				dataSource.threads.clear();

				// Fewer runs than the buffer holds: none dropped.
				chat(client, 4, 125);
				assertThat(recorder.flush(FLUSH)).isTrue();
				Set<String> before = runIds.newPhase();
				assertThat(recorder.writtenRuns()).isEqualTo(500);

				this.server.stopServer();
				// Every chat succeeds (or fails as the model was scripted to) while the
				// database is down; the buffer takes 1000 runs, the writer holds at most
				// one batch of 100, the rest cannot be buffered.
				chat(client, 4, 750);
				Set<String> duringOutage = runIds.newPhase();
				assertThat(duringOutage).hasSize(3000);
				assertThat(recorder.droppedRuns(DropReason.BUFFER_FULL)).isGreaterThanOrEqualTo(3000 - 1000 - 100);

				this.server.startServer();
				assertThat(recorder.flush(FLUSH)).isTrue();
				chat(client, 4, 125);
				Set<String> after = runIds.newPhase();
				assertThat(recorder.flush(FLUSH)).isTrue();

				long rows = new JdbcTemplate(dataSource()).queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
				assertThat(rows).isEqualTo(recorder.writtenRuns());
				assertThat(rows + recorder.droppedRuns()).isEqualTo(4000);
				assertThat(recorder.droppedRuns()).isEqualTo(recorder.droppedRuns(DropReason.BUFFER_FULL));
				assertThat(rows(table)).extracting(Row::runId)
					.doesNotHaveDuplicates()
					.containsAll(before)
					.containsAll(after);
				// What was buffered while the database was down was written after the
				// chats had returned.
				assertThat(rows(table).stream().filter((row) -> duringOutage.contains(row.runId())).count())
					.isGreaterThanOrEqualTo(1000);
				// Only the writer ever asked for a connection: no chat thread touched
				// JDBC.
				assertThat(dataSource.threads.keySet()).containsOnly(UsageLedgerRecorder.THREAD_NAME);
			});
	}

	@Test
	void statementsOfTheSchemaNameTheConfiguredTable() {
		String table = newTable();
		contextRunner(table, dataSource()).run((context) -> {
			Map<String, Object> indexes = new JdbcTemplate(dataSource()).queryForMap(
					"SELECT COUNT(*) AS n FROM pg_indexes WHERE tablename = ? AND indexname LIKE ?", table,
					table + "%");
			assertThat(((Number) indexes.get("n")).intValue()).isEqualTo(4);
		});
	}

	@Test
	void theTableNameMayNameASchema() {
		String schema = "usage_" + newTable();
		new JdbcTemplate(dataSource()).execute("CREATE SCHEMA " + schema);
		contextRunner(schema + ".llm_usage", dataSource()).run((context) -> {
			UsageLedgerRecorder recorder = context.getBean(UsageLedgerRecorder.class);
			recorder.onLlmRun(LlmRuns.run());
			assertThat(recorder.flush(Duration.ofSeconds(30))).isTrue();
			assertThat(new JdbcTemplate(dataSource()).queryForObject("SELECT COUNT(*) FROM " + schema + ".llm_usage",
					Long.class))
				.isEqualTo(1);
		});
	}

	/** Records which threads ask for connections. */
	static class ThreadRecordingDataSource extends DelegatingDataSource {

		final Map<String, Boolean> threads = new ConcurrentHashMap<>();

		ThreadRecordingDataSource(DataSource target) {
			super(target);
		}

		@Override
		public java.sql.Connection getConnection() throws java.sql.SQLException {
			this.threads.put(Thread.currentThread().getName(), true);
			return super.getConnection();
		}

		@Override
		public java.sql.Connection getConnection(String username, String password) throws java.sql.SQLException {
			this.threads.put(Thread.currentThread().getName(), true);
			return super.getConnection(username, password);
		}

	}

}
