package dev.callbacks.ledger;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.callbacks.test.LlmRuns;
import dev.callbacks.Callbacks;
import dev.callbacks.CallbackHandler;
import dev.callbacks.LlmRunRecord;
import dev.callbacks.UsageTracker;
import dev.callbacks.autoconfigure.CallbacksAutoConfiguration;
import dev.callbacks.autoconfigure.CallbacksLedgerAutoConfiguration;
import dev.callbacks.event.LlmEndEvent;
import dev.callbacks.event.LlmErrorEvent;
import dev.callbacks.event.RunIdentity;
import dev.callbacks.ledger.actuate.LlmUsageEndpoint;
import dev.callbacks.test.ScriptedChatModel;
import dev.callbacks.test.ScriptedChatModel.Reply;
import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientBuilderCustomizer;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger against a real database (subclasses say which): every column, exactly-once
 * writes, and 10,000 runs of concurrent users through real {@code ChatClient}s whose rows
 * add up to what each user's {@link UsageTracker} counted, as do the
 * {@link UsageLedger}'s and the endpoint's totals.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
abstract class LedgerDatabaseTests {

	static final Duration FLUSH = Duration.ofSeconds(120);

	static final String UNPRICED = "unpriced-model";

	/** The database under test. */
	abstract DataSource dataSource();

	ApplicationContextRunner contextRunner(String table, DataSource dataSource) {
		return new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(CallbacksAutoConfiguration.class, CallbacksLedgerAutoConfiguration.class))
			.withBean(DataSource.class, () -> dataSource)
			.withBean(RunIds.class, RunIds::new)
			.withPropertyValues("callbacks.ledger.enabled=true", "callbacks.ledger.table-name=" + table,
					"callbacks.ledger.initialize-schema=always", "callbacks.ledger.flush-interval=50ms",
					"callbacks.pricing.models.[" + ScriptedChatModel.MODEL + "].prompt=0.15",
					"callbacks.pricing.models.[" + ScriptedChatModel.MODEL + "].completion=0.60",
					"callbacks.pricing.models.[" + ScriptedChatModel.MODEL + "].cached-prompt=0.075");
	}

	static String newTable() {
		return "ledger_" + UUID.randomUUID().toString().substring(0, 8);
	}

	@Test
	void everyFieldOfARunIsAColumn() {
		String table = newTable();
		contextRunner(table, dataSource()).run((context) -> {
			Instant startedAt = Instant.parse("2025-06-03T23:59:58.123456Z");
			LlmRunRecord run = new LlmRunRecord(UUID.randomUUID(), UUID.randomUUID(), startedAt, "flower_shop",
					"anthropic", "claude-sonnet-4", new TokenUsage(1200, 300, 1500, 800, 200, 50, 120, true),
					new BigDecimal("0.012345678901234"), LlmRunRecord.Outcome.CANCELLED, true, 2_500_000_000L,
					40_000_000L, new RunIdentity("42", "acme", "7"), List.of("birthday", "vip"),
					Map.of("tenant", "acme", "note", "say \"hi\"\n", "n", 3));
			LlmRunRecord unpriced = new LlmRunRecord(UUID.randomUUID(), UUID.randomUUID(), startedAt, "chat_client",
					"unknown", "local-model", TokenUsage.of(5, 1), null, LlmRunRecord.Outcome.ERROR, false, 1000, -1,
					RunIdentity.NONE, List.of(), Map.of());
			UsageLedgerRecorder recorder = context.getBean(UsageLedgerRecorder.class);
			recorder.onLlmRun(run);
			recorder.onLlmRun(unpriced);
			assertThat(recorder.flush(FLUSH)).isTrue();

			Map<String, Object> row = lowerCase(new JdbcTemplate(dataSource())
				.queryForMap("SELECT * FROM " + table + " WHERE run_id = ?", run.runId().toString()));
			assertThat(row.get("chain_run_id").toString().trim()).isEqualTo(run.chainRunId().toString());
			assertThat(instant(row.get("started_at"))).isEqualTo(startedAt);
			assertThat(localDate(row.get("usage_day"))).isEqualTo(LocalDate.of(2025, 6, 3));
			assertThat(((Number) row.get("duration_nanos")).longValue()).isEqualTo(2_500_000_000L);
			assertThat(((Number) row.get("time_to_first_token_nanos")).longValue()).isEqualTo(40_000_000L);
			assertThat(row).containsEntry("provider", "anthropic")
				.containsEntry("model", "claude-sonnet-4")
				.containsEntry("client_name", "flower_shop")
				.containsEntry("outcome", "cancelled")
				.containsEntry("streaming", true)
				.containsEntry("estimated", true)
				.containsEntry("user_id", "42")
				.containsEntry("tenant_id", "acme")
				.containsEntry("conversation_id", "7");
			assertThat(longs(row, "input_tokens", "output_tokens", "total_tokens", "cache_read_tokens",
					"cache_write_tokens", "cache_write_1h_tokens", "reasoning_tokens"))
				.containsExactly(1200L, 300L, 1500L, 800L, 200L, 50L, 120L);
			assertThat((BigDecimal) row.get("cost_usd")).isEqualByComparingTo("0.012345678901234");
			assertThat(text(row.get("tags"))).isEqualTo("[\"birthday\",\"vip\"]");
			assertThat(text(row.get("metadata"))).contains("\"tenant\":\"acme\"")
				.contains("\"note\":\"say \\\"hi\\\"\\n\"")
				.contains("\"n\":3");

			Map<String, Object> other = lowerCase(new JdbcTemplate(dataSource())
				.queryForMap("SELECT * FROM " + table + " WHERE run_id = ?", unpriced.runId().toString()));
			assertThat(other.get("cost_usd")).isNull();
			assertThat(other.get("time_to_first_token_nanos")).isNull();
			assertThat(other.get("user_id")).isNull();
			assertThat(other).containsEntry("outcome", "error").containsEntry("streaming", false);
			assertThat(text(other.get("tags"))).isEqualTo("[]");
			assertThat(text(other.get("metadata"))).isEqualTo("{}");
		});
	}

	@Test
	void aBatchWrittenTwiceIsStoredOnce() {
		String table = newTable();
		contextRunner(table, dataSource()).run((context) -> {
			// As when a commit succeeded but its acknowledgement was lost and the batch
			// is retried.
			JdbcLedgerStore store = new JdbcLedgerStore(dataSource(), table);
			List<LlmRunRecord> first = List.of(LlmRuns.run(), LlmRuns.run());
			store.write(first);
			List<LlmRunRecord> retried = new ArrayList<>(first);
			retried.add(LlmRuns.run());
			store.write(retried);

			assertThat(new JdbcTemplate(dataSource()).queryForList("SELECT run_id FROM " + table, String.class))
				.map(String::trim)
				.containsExactlyInAnyOrderElementsOf(retried.stream().map((run) -> run.runId().toString()).toList());
		});
	}

	@Test
	void theSchemaScriptCanRunAgain() {
		String table = newTable();
		contextRunner(table, dataSource()).run((context) -> assertThat(context).hasNotFailed());
		contextRunner(table, dataSource()).run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void tenThousandRunsOfConcurrentUsersLandExactlyOnceAndAddUp() {
		String table = newTable();
		contextRunner(table, dataSource()).run((context) -> {
			ScriptedChatModel model = new ScriptedChatModel().respondWith(LedgerDatabaseTests::reply);
			ChatClient client = chatClient(context, model);
			RunIds runIds = context.getBean(RunIds.class);

			Map<String, Counted> trackers = chat(client, 8, 1250);

			UsageLedgerRecorder recorder = context.getBean(UsageLedgerRecorder.class);
			assertThat(recorder.flush(FLUSH)).isTrue();
			assertThat(runIds.ids).hasSize(10_000);
			assertThat(recorder.writtenRuns()).isEqualTo(10_000);
			assertThat(recorder.droppedRuns()).isZero();

			List<Row> rows = rows(table);
			assertThat(rows).hasSize(10_000);
			assertThat(rows.stream().map(Row::runId)).doesNotHaveDuplicates()
				.containsExactlyInAnyOrderElementsOf(runIds.ids);

			// Each user's rows add up to what the user's tracker counted.
			for (Map.Entry<String, Counted> tracker : trackers.entrySet()) {
				assertThat(sum(rows, (row) -> tracker.getKey().equals(row.user()))).as(tracker.getKey())
					.isEqualTo(tracker.getValue());
			}
			assertThat(trackers.values().stream().mapToLong(Counted::failed).sum()).isPositive();

			// The ledger's totals too, by user and by tenant.
			UsageLedger ledger = context.getBean(UsageLedger.class);
			UsageQuery everything = UsageQuery.between(Instant.now().minus(Duration.ofDays(1)),
					Instant.now().plus(Duration.ofDays(1)));
			List<UsageTotals> byUser = ledger.totals(everything.groupBy(UsageDimension.USER));
			assertThat(byUser).hasSize(8);
			for (UsageTotals totals : byUser) {
				assertThat(Counted.of(totals)).isEqualTo(trackers.get(totals.group().get("user")));
			}
			for (UsageTotals totals : ledger.totals(everything.groupBy(UsageDimension.TENANT))) {
				String tenant = totals.group().get("tenant");
				assertThat(Counted.of(totals)).isEqualTo(trackers.entrySet()
					.stream()
					.filter((entry) -> tenant(entry.getKey()).equals(tenant))
					.map(Map.Entry::getValue)
					.reduce(Counted.ZERO, Counted::plus));
			}
			assertThat(ledger.totals(everything.groupBy(UsageDimension.DAY))
				.stream()
				.mapToLong(UsageTotals::requests)
				.sum()).isEqualTo(10_000);
			assertThat(ledger.totals(everything.groupBy(UsageDimension.MODEL)))
				.extracting((totals) -> totals.group().get("model"))
				.containsExactly(ScriptedChatModel.MODEL, UNPRICED);

			// The endpoint's totals are the sums of the rows, also for the issue's
			// question: what did acme's user-2 spend in each conversation?
			LlmUsageEndpoint endpoint = new LlmUsageEndpoint(ledger);
			List<UsageTotals> byTenant = endpoint.usage("tenant", null, null, null, null, null, null, null, null)
				.totals();
			assertThat(byTenant).extracting((totals) -> totals.group().get("tenant")).containsExactly("acme", "globex");
			for (UsageTotals totals : byTenant) {
				String tenant = totals.group().get("tenant");
				assertThat(exact(totals)).isEqualTo(exact(rows, (row) -> tenant.equals(row.tenant())));
			}
			List<UsageTotals> conversations = endpoint
				.usage("conversation", null, null, "user-2", "acme", null, null, null, null)
				.totals();
			assertThat(conversations).hasSize(5);
			for (UsageTotals totals : conversations) {
				String conversation = totals.group().get("conversation");
				assertThat(exact(totals)).isEqualTo(exact(rows, (row) -> "user-2".equals(row.user())
						&& "acme".equals(row.tenant()) && conversation.equals(row.conversation())));
			}
		});
	}

	static ChatClient chatClient(AssertableApplicationContext context, ScriptedChatModel model) {
		ChatClient.Builder builder = ChatClient.builder(model);
		context.getBean(ChatClientBuilderCustomizer.class).customize(builder);
		return builder.build();
	}

	/**
	 * {@code users} users, on a thread each, make {@code perUser} requests each (calls
	 * and streams, a few failing), each user with a tracker.
	 */
	static Map<String, Counted> chat(ChatClient client, int users, int perUser) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(users);
		try {
			Map<String, Future<Counted>> futures = new LinkedHashMap<>();
			for (int u = 0; u < users; u++) {
				String user = "user-" + u;
				futures.put(user, executor.submit(() -> chatAs(client, user, perUser)));
			}
			Map<String, Counted> counted = new LinkedHashMap<>();
			for (Map.Entry<String, Future<Counted>> future : futures.entrySet()) {
				counted.put(future.getKey(), future.getValue().get(240, TimeUnit.SECONDS));
			}
			return counted;
		}
		finally {
			executor.shutdownNow();
		}
	}

	private static Counted chatAs(ChatClient client, String user, int requests) {
		try (UsageTracker tracker = UsageTracker.start()) {
			for (int i = 0; i < requests; i++) {
				ChatClient.ChatClientRequestSpec request = client.prompt(user + " " + i)
					.advisors(Callbacks.handlers()
						.metadata(RunIdentity.USER, user)
						.metadata(RunIdentity.TENANT, tenant(user))
						.metadata(RunIdentity.CONVERSATION, user + "-conversation-" + (i % 5)));
				if (fails(i)) {
					try {
						request.call().content();
						throw new AssertionError("The model was to fail");
					}
					catch (IllegalStateException expected) {
						// A failed run is recorded too.
					}
				}
				else if (i % 2 == 0) {
					assertThat(request.call().content()).isEqualTo("Roses are red");
				}
				else {
					assertThat(String.join("", request.stream().content().collectList().block(Duration.ofSeconds(30))))
						.isEqualTo("Roses are red");
				}
			}
			return Counted.of(tracker);
		}
	}

	static String tenant(String user) {
		return (Integer.parseInt(user.substring(user.indexOf('-') + 1)) % 2 == 0) ? "acme" : "globex";
	}

	private static boolean fails(int i) {
		return i % 50 == 49;
	}

	static Reply reply(org.springframework.ai.chat.prompt.Prompt prompt) {
		String text = prompt.getUserMessage().getText();
		int i = Integer.parseInt(text.substring(text.lastIndexOf(' ') + 1));
		if (fails(i)) {
			return Reply.error(new IllegalStateException("model down"));
		}
		return Reply.tokens("Roses", " are", " red")
			.usage(20 + i % 7, 3 + i % 4, i % 3, i % 2)
			.model((i % 10 == 0) ? UNPRICED : ScriptedChatModel.MODEL);
	}

	List<Row> rows(String table) {
		return new JdbcTemplate(dataSource()).query("SELECT * FROM " + table,
				(resultSet, i) -> new Row(resultSet.getString("run_id").trim(), resultSet.getString("user_id"),
						resultSet.getString("tenant_id"), resultSet.getString("conversation_id"),
						resultSet.getString("outcome"), resultSet.getLong("input_tokens"),
						resultSet.getLong("output_tokens"), resultSet.getLong("total_tokens"),
						resultSet.getLong("cache_read_tokens"), resultSet.getLong("cache_write_tokens"),
						resultSet.getLong("cache_write_1h_tokens"), resultSet.getLong("reasoning_tokens"),
						resultSet.getBoolean("estimated"), resultSet.getBigDecimal("cost_usd")));
	}

	static Counted sum(List<Row> rows, java.util.function.Predicate<Row> which) {
		Counted counted = Counted.ZERO;
		for (Row row : rows) {
			if (which.test(row)) {
				counted = counted.plus(new Counted(row.input(), row.output(), row.total(), row.cacheRead(),
						row.reasoning(), row.success() ? 1 : 0, row.success() ? 0 : 1,
						(row.cost() != null) ? row.cost() : BigDecimal.ZERO));
			}
		}
		return counted.normalized();
	}

	/** Every field of totals, the group aside, with the cost normalized. */
	static List<Object> exact(UsageTotals totals) {
		return List.of(totals.requests(), totals.failedRequests(), totals.inputTokens(), totals.outputTokens(),
				totals.totalTokens(), totals.cacheReadTokens(), totals.cacheWriteTokens(), totals.cacheWrite1hTokens(),
				totals.reasoningTokens(), totals.estimatedRequests(), totals.cost().stripTrailingZeros(),
				totals.unpricedRequests());
	}

	static List<Object> exact(List<Row> rows, java.util.function.Predicate<Row> which) {
		long[] sums = new long[11];
		BigDecimal cost = BigDecimal.ZERO;
		for (Row row : rows) {
			if (which.test(row)) {
				sums[0]++;
				sums[1] += row.success() ? 0 : 1;
				sums[2] += row.input();
				sums[3] += row.output();
				sums[4] += row.total();
				sums[5] += row.cacheRead();
				sums[6] += row.cacheWrite();
				sums[7] += row.cacheWrite1h();
				sums[8] += row.reasoning();
				sums[9] += row.estimated() ? 1 : 0;
				sums[10] += (row.cost() == null) ? 1 : 0;
				cost = (row.cost() != null) ? cost.add(row.cost()) : cost;
			}
		}
		return List.of(sums[0], sums[1], sums[2], sums[3], sums[4], sums[5], sums[6], sums[7], sums[8], sums[9],
				cost.stripTrailingZeros(), sums[10]);
	}

	private static Map<String, Object> lowerCase(Map<String, Object> row) {
		Map<String, Object> lower = new HashMap<>();
		row.forEach((key, value) -> lower.put(key.toLowerCase(Locale.ROOT), value));
		return lower;
	}

	private static List<Long> longs(Map<String, Object> row, String... columns) {
		List<Long> values = new ArrayList<>();
		for (String column : columns) {
			values.add(((Number) row.get(column)).longValue());
		}
		return values;
	}

	private static Instant instant(Object value) {
		if (value instanceof java.time.OffsetDateTime time) {
			return time.toInstant();
		}
		if (value instanceof java.sql.Timestamp timestamp) {
			return timestamp.toInstant();
		}
		throw new AssertionError("Unexpected timestamp type " + value.getClass());
	}

	private static LocalDate localDate(Object value) {
		return (value instanceof java.sql.Date date) ? date.toLocalDate() : (LocalDate) value;
	}

	private static String text(Object value) throws java.sql.SQLException {
		return (value instanceof java.sql.Clob clob) ? clob.getSubString(1, (int) clob.length()) : value.toString();
	}

	/** A ledger row, as read back with plain SQL. */
	record Row(String runId, @Nullable String user, @Nullable String tenant, @Nullable String conversation,
			String outcome, long input, long output, long total, long cacheRead, long cacheWrite, long cacheWrite1h,
			long reasoning, boolean estimated, @Nullable BigDecimal cost) {

		boolean success() {
			return "success".equals(this.outcome);
		}

	}

	/** What a tracker counts, and the same from rows or totals. */
	record Counted(long prompt, long completion, long total, long cachedPrompt, long reasoning, long successful,
			long failed, BigDecimal cost) {

		static final Counted ZERO = new Counted(0, 0, 0, 0, 0, 0, 0, BigDecimal.ZERO);

		static Counted of(UsageTracker tracker) {
			return new Counted(tracker.promptTokens(), tracker.completionTokens(), tracker.totalTokens(),
					tracker.cachedPromptTokens(), tracker.reasoningTokens(), tracker.successfulRequests(),
					tracker.failedRequests(), tracker.totalCost())
				.normalized();
		}

		static Counted of(UsageTotals totals) {
			return new Counted(totals.inputTokens(), totals.outputTokens(), totals.totalTokens(),
					totals.cacheReadTokens(), totals.reasoningTokens(), totals.requests() - totals.failedRequests(),
					totals.failedRequests(), totals.cost())
				.normalized();
		}

		Counted plus(Counted other) {
			return new Counted(this.prompt + other.prompt, this.completion + other.completion, this.total + other.total,
					this.cachedPrompt + other.cachedPrompt, this.reasoning + other.reasoning,
					this.successful + other.successful, this.failed + other.failed, this.cost.add(other.cost))
				.normalized();
		}

		Counted normalized() {
			BigDecimal stripped = this.cost.stripTrailingZeros();
			return new Counted(this.prompt, this.completion, this.total, this.cachedPrompt, this.reasoning,
					this.successful, this.failed, (stripped.signum() == 0) ? BigDecimal.ZERO : stripped);
		}

	}

	/** The ids of every LLM run the handlers saw end, in the set of the current phase. */
	static class RunIds implements CallbackHandler {

		final Set<String> ids = ConcurrentHashMap.newKeySet();

		volatile Set<String> phase = ConcurrentHashMap.newKeySet();

		@Override
		public void onLlmEnd(LlmEndEvent event) {
			add(event.runId());
		}

		@Override
		public void onLlmError(LlmErrorEvent event) {
			add(event.runId());
		}

		private void add(UUID id) {
			this.ids.add(id.toString());
			this.phase.add(id.toString());
		}

		Set<String> newPhase() {
			Set<String> previous = this.phase;
			this.phase = ConcurrentHashMap.newKeySet();
			return previous;
		}

	}

}
