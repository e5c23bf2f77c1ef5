package dev.callbacks.ledger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.callbacks.test.LlmRuns;
import dev.callbacks.LlmRunRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recorder never makes a caller wait, writes every run once, and counts exactly what
 * it could not write.
 */
@Timeout(60)
class UsageLedgerRecorderTests {

	private static final Duration FLUSH = Duration.ofSeconds(30);

	private final List<UsageLedgerRecorder> recorders = new ArrayList<>();

	@AfterEach
	void close() {
		this.recorders.forEach(UsageLedgerRecorder::close);
	}

	@Test
	void writesEveryRunOnceInBatchesOnItsOwnThread() {
		RecordingStore store = new RecordingStore();
		UsageLedgerRecorder recorder = start(store, settings(10_000, 100, Duration.ofMillis(20), 3));
		List<UUID> ids = new ArrayList<>();
		for (int i = 0; i < 1234; i++) {
			LlmRunRecord run = LlmRuns.run();
			ids.add(run.runId());
			recorder.onLlmRun(run);
		}

		assertThat(recorder.flush(FLUSH)).isTrue();
		assertThat(store.ids).containsExactlyElementsOf(ids);
		assertThat(store.threads).containsOnly(UsageLedgerRecorder.THREAD_NAME);
		assertThat(store.batchSizes).allSatisfy((size) -> assertThat(size).isBetween(1, 100));
		assertThat(recorder.writtenRuns()).isEqualTo(1234);
		assertThat(recorder.droppedRuns()).isZero();
	}

	@Test
	void retriesAFailedBatchUntilItIsWritten() {
		AtomicInteger failures = new AtomicInteger(3);
		RecordingStore store = new RecordingStore() {
			@Override
			public void write(List<LlmRunRecord> runs) {
				if (failures.getAndDecrement() > 0) {
					throw new IllegalStateException("database down");
				}
				super.write(runs);
			}
		};
		UsageLedgerRecorder recorder = start(store, settings(100, 100, Duration.ofMillis(5), 5));
		for (int i = 0; i < 10; i++) {
			recorder.onLlmRun(LlmRuns.run());
		}

		assertThat(recorder.flush(FLUSH)).isTrue();
		assertThat(store.ids).hasSize(10).doesNotHaveDuplicates();
		assertThat(recorder.writtenRuns()).isEqualTo(10);
		assertThat(recorder.droppedRuns()).isZero();
	}

	@Test
	void dropsAndCountsTheRunsOfABatchThatFailsOnEveryAttempt() {
		AtomicInteger attempts = new AtomicInteger();
		UsageLedgerRecorder recorder = start((runs) -> {
			attempts.incrementAndGet();
			throw new IllegalStateException("table missing");
		}, settings(100, 100, Duration.ofMillis(5), 3));
		for (int i = 0; i < 7; i++) {
			recorder.onLlmRun(LlmRuns.run());
		}

		assertThat(recorder.flush(FLUSH)).isTrue();
		assertThat(recorder.droppedRuns(DropReason.RETRIES_EXHAUSTED)).isEqualTo(7);
		assertThat(recorder.droppedRuns()).isEqualTo(7);
		assertThat(recorder.writtenRuns()).isZero();
		assertThat(attempts.get() % 3).isZero();
	}

	@Test
	void countsEveryRunThatFindsTheBufferFullWhileTheStoreIsStuck() throws InterruptedException {
		CountDownLatch entered = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		RecordingStore store = new RecordingStore() {
			@Override
			public void write(List<LlmRunRecord> runs) {
				entered.countDown();
				await(release);
				super.write(runs);
			}
		};
		UsageLedgerRecorder recorder = start(store, settings(10, 5, Duration.ofMillis(5), 3));
		recorder.onLlmRun(LlmRuns.run());
		assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

		// The writer is stuck holding the first run: 10 fit in the buffer, 20 do not,
		// and not one call waits for the store.
		for (int i = 0; i < 30; i++) {
			recorder.onLlmRun(LlmRuns.run());
		}
		assertThat(recorder.droppedRuns(DropReason.BUFFER_FULL)).isEqualTo(20);
		assertThat(recorder.bufferedRuns()).isEqualTo(10);

		release.countDown();
		assertThat(recorder.flush(FLUSH)).isTrue();
		assertThat(recorder.writtenRuns()).isEqualTo(11);
		assertThat(store.ids).hasSize(11);
		assertThat(recorder.writtenRuns() + recorder.droppedRuns()).isEqualTo(31);
	}

	@Test
	void closeWritesWhatIsBufferedAndCountsLaterRunsAsDropped() {
		RecordingStore store = new RecordingStore();
		// The writer would wait an hour for a batch to fill: close must not.
		UsageLedgerRecorder recorder = start(store, settings(1000, 500, Duration.ofHours(1), 3));
		for (int i = 0; i < 50; i++) {
			recorder.onLlmRun(LlmRuns.run());
		}

		recorder.close();
		assertThat(store.ids).hasSize(50);
		recorder.onLlmRun(LlmRuns.run());
		assertThat(recorder.droppedRuns(DropReason.SHUTDOWN)).isEqualTo(1);
		assertThat(recorder.writtenRuns()).isEqualTo(50);
	}

	@Test
	void closeGivesUpWhenTheStoreKeepsFailingAndCountsWhatIsLeft() {
		UsageLedgerRecorder recorder = start((runs) -> {
			throw new IllegalStateException("database down");
		}, new UsageLedgerRecorder.Settings(1000, 5, Duration.ofMillis(5), 1_000_000, Duration.ofMillis(5),
				Duration.ofMillis(20), Duration.ofMillis(200)));
		for (int i = 0; i < 23; i++) {
			recorder.onLlmRun(LlmRuns.run());
		}

		recorder.close();
		assertThat(recorder.writtenRuns()).isZero();
		assertThat(recorder.droppedRuns(DropReason.SHUTDOWN)).isEqualTo(23);
		assertThat(recorder.droppedRuns()).isEqualTo(23);
	}

	@Test
	void aStoreStuckInTheDatabaseIsInterruptedAtShutdown() throws InterruptedException {
		CountDownLatch entered = new CountDownLatch(1);
		UsageLedgerRecorder recorder = start((runs) -> {
			entered.countDown();
			// Like a JDBC call that hangs until its thread is interrupted.
			await(new CountDownLatch(1));
			throw new IllegalStateException("interrupted");
		}, new UsageLedgerRecorder.Settings(1000, 5, Duration.ofMillis(5), 3, Duration.ofMillis(5),
				Duration.ofMillis(20), Duration.ofMillis(100)));
		for (int i = 0; i < 12; i++) {
			recorder.onLlmRun(LlmRuns.run());
		}
		assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

		recorder.close();
		assertThat(recorder.droppedRuns(DropReason.SHUTDOWN)).isEqualTo(12);
	}

	private UsageLedgerRecorder start(LedgerStore store, UsageLedgerRecorder.Settings settings) {
		UsageLedgerRecorder recorder = UsageLedgerRecorder.start(store, settings);
		this.recorders.add(recorder);
		return recorder;
	}

	private static UsageLedgerRecorder.Settings settings(int bufferSize, int batchSize, Duration flushInterval,
			int maxAttempts) {
		return new UsageLedgerRecorder.Settings(bufferSize, batchSize, flushInterval, maxAttempts, Duration.ofMillis(1),
				Duration.ofMillis(10), Duration.ofSeconds(10));
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static class RecordingStore implements LedgerStore {

		final List<UUID> ids = Collections.synchronizedList(new ArrayList<>());

		final Set<String> threads = ConcurrentHashMap.newKeySet();

		final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());

		@Override
		public void write(List<LlmRunRecord> runs) {
			this.threads.add(Thread.currentThread().getName());
			this.batchSizes.add(runs.size());
			runs.forEach((run) -> this.ids.add(run.runId()));
		}

	}

}
