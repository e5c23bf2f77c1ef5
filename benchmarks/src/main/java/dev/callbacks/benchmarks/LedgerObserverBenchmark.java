package dev.callbacks.benchmarks;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import dev.callbacks.LlmRunRecord;
import dev.callbacks.event.RunIdentity;
import dev.callbacks.ledger.LedgerStore;
import dev.callbacks.ledger.UsageLedgerRecorder;
import dev.callbacks.usage.TokenUsage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the usage ledger costs the thread that ends an LLM run:
 * {@link UsageLedgerRecorder#onLlmRun}, which only puts the run into the bounded buffer
 * (the background writer does the rest). With {@code store=draining} the writer empties
 * the buffer as fast as it can (a store that discards the batches, so the database's
 * speed does not enter); with {@code store=stuck} the store never returns, the buffer is
 * full after the first 10,000 runs, and every call takes the drop path, as while the
 * database is down. Run with {@code -t 2} for two request threads contending.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class LedgerObserverBenchmark {

	@Param({ "draining", "stuck" })
	public String store;

	private final LongAdder stored = new LongAdder();

	private final CountDownLatch never = new CountDownLatch(1);

	private UsageLedgerRecorder recorder;

	private LlmRunRecord run;

	@Setup(Level.Trial)
	public void setUp() {
		LedgerStore ledgerStore = "stuck".equals(this.store) ? this::stuck : (runs) -> this.stored.add(runs.size());
		this.recorder = UsageLedgerRecorder.start(ledgerStore, new UsageLedgerRecorder.Settings(10_000, 500,
				Duration.ofSeconds(1), 10, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(1)));
		this.run = new LlmRunRecord(UUID.randomUUID(), UUID.randomUUID(), Instant.now(), "flower_shop", "openai",
				"gpt-4o-mini", new TokenUsage(1200, 300, 1500, 800, 0, 0, 120, false), new BigDecimal("0.000315"),
				LlmRunRecord.Outcome.SUCCESS, true, 2_500_000_000L, 40_000_000L, new RunIdentity("42", "acme", "7"),
				List.of("birthday"), Map.of("user", "42", "tenant", "acme", "conversation", "7"));
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		// The recorder really took the runs: written (draining) or dropped (stuck).
		long seen = this.recorder.writtenRuns() + this.recorder.droppedRuns() + this.recorder.bufferedRuns();
		// How many calls took the drop path: with store=draining, a writer that falls
		// behind would make the number look better than the enqueue path is.
		System.out.printf("%nruns written %,d, dropped (buffer full) %,d, buffered %,d%n", this.recorder.writtenRuns(),
				this.recorder.droppedRuns(), this.recorder.bufferedRuns());
		this.never.countDown();
		this.recorder.close();
		if (seen == 0 || ("draining".equals(this.store) && this.stored.sum() == 0)) {
			throw new IllegalStateException("the recorder saw nothing");
		}
	}

	@Benchmark
	public void onLlmRun() {
		this.recorder.onLlmRun(this.run);
	}

	private void stuck(List<LlmRunRecord> runs) {
		try {
			this.never.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		throw new IllegalStateException("stuck");
	}

}
