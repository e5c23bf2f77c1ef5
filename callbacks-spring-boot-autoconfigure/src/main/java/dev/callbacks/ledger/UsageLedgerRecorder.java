package dev.callbacks.ledger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import dev.callbacks.CallbackObserver;
import dev.callbacks.LlmRunRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Records every ended LLM run in the ledger without getting in the chat's way: the
 * observer only puts the run into a bounded buffer; a single background thread writes the
 * buffer to a {@link LedgerStore} in batches.
 * <p>
 * A batch that cannot be written is retried with a bounded exponential backoff. A run
 * that finds the buffer full, or whose batch fails on every attempt, or that is still
 * buffered when {@link #close()} runs out of time, is dropped: counted by
 * {@link DropReason} and logged (at most every ten seconds, from the background thread).
 * So every run is either written once or counted as dropped.
 */
public final class UsageLedgerRecorder implements CallbackObserver, AutoCloseable {

	/** Name of the background thread. */
	public static final String THREAD_NAME = "callbacks-ledger-writer";

	private static final Logger logger = LoggerFactory.getLogger(UsageLedgerRecorder.class);

	private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

	private static final long JOIN_GRACE_MILLIS = 1000;

	private final LedgerStore store;

	private final Settings settings;

	private final ArrayBlockingQueue<LlmRunRecord> buffer;

	// Runs put in the buffer and not yet taken, maintained only to wake the writer once
	// when a batch is ready (not to decide anything else: it may lag the buffer).
	private final AtomicInteger pending = new AtomicInteger();

	private final LongAdder bufferFull = new LongAdder();

	private final AtomicLong retriesExhausted = new AtomicLong();

	private final AtomicLong shutdown = new AtomicLong();

	private final AtomicLong written = new AtomicLong();

	private final AtomicBoolean closed = new AtomicBoolean();

	private final Thread writer;

	private volatile boolean accepting = true;

	private volatile boolean closing;

	private volatile long deadline;

	// Whether the writer holds runs it took from the buffer and has not accounted for.
	private volatile boolean busy;

	// Only touched by the writer thread.
	private long lastDropLog;

	private final Map<DropReason, Long> droppedAtLastLog = new EnumMap<>(DropReason.class);

	private int failedAttempts;

	private long lastFailureLog;

	private UsageLedgerRecorder(LedgerStore store, Settings settings) {
		Assert.notNull(store, "store must not be null");
		Assert.notNull(settings, "settings must not be null");
		this.store = store;
		this.settings = settings;
		this.buffer = new ArrayBlockingQueue<>(settings.bufferSize());
		this.writer = new Thread(this::run, THREAD_NAME);
		this.writer.setDaemon(true);
		this.writer.setUncaughtExceptionHandler(
				(thread, ex) -> logger.error("Usage ledger writer stopped; runs are no longer written", ex));
		for (DropReason reason : DropReason.values()) {
			this.droppedAtLastLog.put(reason, 0L);
		}
	}

	/** A recorder writing to {@code store}, its background thread started. */
	public static UsageLedgerRecorder start(LedgerStore store, Settings settings) {
		UsageLedgerRecorder recorder = new UsageLedgerRecorder(store, settings);
		recorder.writer.start();
		return recorder;
	}

	/**
	 * Puts the run into the buffer, or counts it as dropped when the buffer is full.
	 * Never blocks and never touches the database.
	 */
	@Override
	public void onLlmRun(LlmRunRecord run) {
		if (!this.accepting) {
			this.shutdown.incrementAndGet();
			return;
		}
		if (this.buffer.offer(run)) {
			// Wake the writer once per full batch; otherwise it wakes every flush
			// interval. An unpark per run would cost a system call on this thread.
			if (this.pending.incrementAndGet() == this.settings.batchSize()) {
				LockSupport.unpark(this.writer);
			}
		}
		else {
			this.bufferFull.increment();
		}
	}

	/** Runs written so far. */
	public long writtenRuns() {
		return this.written.get();
	}

	/** Runs dropped so far for {@code reason}. */
	public long droppedRuns(DropReason reason) {
		return switch (reason) {
			case BUFFER_FULL -> this.bufferFull.sum();
			case RETRIES_EXHAUSTED -> this.retriesExhausted.get();
			case SHUTDOWN -> this.shutdown.get();
		};
	}

	/** Runs dropped so far, for any reason. */
	public long droppedRuns() {
		return this.bufferFull.sum() + this.retriesExhausted.get() + this.shutdown.get();
	}

	/** Runs waiting in the buffer. */
	public int bufferedRuns() {
		return this.buffer.size();
	}

	/**
	 * Waits, at most {@code timeout}, until every run recorded before this call is
	 * written or dropped.
	 * @return whether it was within the time
	 */
	public boolean flush(Duration timeout) {
		long end = System.nanoTime() + timeout.toNanos();
		LockSupport.unpark(this.writer);
		while (!this.buffer.isEmpty() || this.busy) {
			if (System.nanoTime() - end >= 0 || !this.writer.isAlive()) {
				return this.buffer.isEmpty() && !this.busy;
			}
			LockSupport.unpark(this.writer);
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
		}
		return true;
	}

	/**
	 * Stops taking runs and writes what is buffered, for at most the shutdown timeout;
	 * what is left then is counted as dropped.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		this.accepting = false;
		this.deadline = System.nanoTime() + this.settings.shutdownTimeout().toNanos();
		this.closing = true;
		LockSupport.unpark(this.writer);
		join(this.settings.shutdownTimeout().toMillis() + JOIN_GRACE_MILLIS);
		if (this.writer.isAlive()) {
			// Stuck in the database: interrupt it; whatever batch it holds it still
			// accounts for when its call returns.
			this.writer.interrupt();
			join(JOIN_GRACE_MILLIS);
		}
		List<LlmRunRecord> left = new ArrayList<>();
		this.buffer.drainTo(left);
		this.shutdown.addAndGet(left.size());
		logDrops(true);
	}

	private void join(long millis) {
		try {
			this.writer.join(Math.max(1, millis));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void run() {
		List<LlmRunRecord> batch = new ArrayList<>(this.settings.batchSize());
		long flushInterval = this.settings.flushInterval().toNanos();
		while (true) {
			this.busy = true;
			int taken = this.buffer.drainTo(batch, this.settings.batchSize());
			if (taken > 0) {
				this.pending.addAndGet(-taken);
				write(batch);
				batch.clear();
			}
			this.busy = false;
			logDrops(false);
			if (this.closing) {
				if (this.buffer.isEmpty() || pastDeadline()) {
					return;
				}
			}
			else if (taken < this.settings.batchSize()) {
				// Wait for more runs to batch them; a full batch wakes this thread early.
				LockSupport.parkNanos(this, flushInterval);
			}
		}
	}

	private void write(List<LlmRunRecord> batch) {
		long backoff = this.settings.initialBackoff().toNanos();
		for (int attempt = 1;; attempt++) {
			try {
				this.store.write(batch);
				this.written.addAndGet(batch.size());
				recovered();
				return;
			}
			catch (RuntimeException ex) {
				this.failedAttempts++;
				if (attempt >= this.settings.maxAttempts()) {
					this.retriesExhausted.addAndGet(batch.size());
					logger.warn("Usage ledger: dropped {} LLM runs after {} failed attempts to write them: {}",
							batch.size(), attempt, ex.toString());
					return;
				}
				if (this.closing && pastDeadline()) {
					this.shutdown.addAndGet(batch.size());
					logger.warn("Usage ledger: dropped {} LLM runs at shutdown, the database still failing: {}",
							batch.size(), ex.toString());
					return;
				}
				logFailure(ex, backoff);
				pause(backoff);
				backoff = Math.min(backoff * 2, this.settings.maxBackoff().toNanos());
			}
		}
	}

	private void pause(long nanos) {
		long end = System.nanoTime() + nanos;
		long left = nanos;
		while (left > 0) {
			if (this.closing) {
				left = Math.min(left, this.deadline - System.nanoTime());
				if (left <= 0) {
					return;
				}
			}
			// In slices, so that drops are logged while the database is down.
			LockSupport.parkNanos(this, Math.min(left, TimeUnit.SECONDS.toNanos(1)));
			if (Thread.interrupted()) {
				this.deadline = System.nanoTime();
				return;
			}
			logDrops(false);
			left = end - System.nanoTime();
		}
	}

	private boolean pastDeadline() {
		return System.nanoTime() - this.deadline >= 0;
	}

	private void recovered() {
		if (this.failedAttempts > 0) {
			logger.info("Usage ledger: writing again after {} failed attempts", this.failedAttempts);
			this.failedAttempts = 0;
			this.lastFailureLog = 0;
		}
	}

	private void logFailure(RuntimeException ex, long backoffNanos) {
		long now = System.nanoTime();
		if (this.failedAttempts == 1 || now - this.lastFailureLog >= LOG_INTERVAL_NANOS) {
			this.lastFailureLog = now;
			logger.warn("Usage ledger: writing failed ({} attempts so far), retrying in {} ms: {}", this.failedAttempts,
					TimeUnit.NANOSECONDS.toMillis(backoffNanos), ex.toString());
		}
	}

	// Drops are counted on the calling threads, logged here: logging there could block.
	private synchronized void logDrops(boolean force) {
		long now = System.nanoTime();
		if (!force && this.lastDropLog != 0 && now - this.lastDropLog < LOG_INTERVAL_NANOS) {
			return;
		}
		long total = 0;
		long sinceStart = 0;
		StringBuilder reasons = new StringBuilder();
		for (DropReason reason : DropReason.values()) {
			long dropped = droppedRuns(reason);
			long since = dropped - this.droppedAtLastLog.getOrDefault(reason, 0L);
			sinceStart += dropped;
			if (since > 0) {
				reasons.append((reasons.length() > 0) ? ", " : "").append(since).append(' ').append(reason.tagValue());
				this.droppedAtLastLog.put(reason, dropped);
				total += since;
			}
		}
		if (total > 0) {
			this.lastDropLog = now;
			logger.warn("Usage ledger: dropped {} LLM runs ({}); {} dropped since start-up", total, reasons,
					sinceStart);
		}
	}

	/**
	 * How the recorder buffers, batches and retries.
	 *
	 * @param bufferSize runs buffered at most; more are dropped
	 * @param batchSize runs written per batch at most
	 * @param flushInterval how long the writer waits for a batch to fill
	 * @param maxAttempts attempts to write a batch before dropping it
	 * @param initialBackoff the wait after the first failed attempt, doubled after each
	 * @param maxBackoff the longest wait between attempts
	 * @param shutdownTimeout how long {@link #close()} keeps writing what is buffered
	 */
	public record Settings(int bufferSize, int batchSize, Duration flushInterval, int maxAttempts,
			Duration initialBackoff, Duration maxBackoff, Duration shutdownTimeout) {

		public Settings {
			Assert.isTrue(bufferSize > 0, "bufferSize must be positive");
			Assert.isTrue(batchSize > 0 && batchSize <= bufferSize, "batchSize must be between 1 and bufferSize");
			Assert.isTrue(positive(flushInterval), "flushInterval must be positive");
			Assert.isTrue(maxAttempts > 0, "maxAttempts must be positive");
			Assert.isTrue(positive(initialBackoff), "initialBackoff must be positive");
			Assert.isTrue(positive(maxBackoff) && maxBackoff.compareTo(initialBackoff) >= 0,
					"maxBackoff must be at least initialBackoff");
			Assert.isTrue(shutdownTimeout != null && !shutdownTimeout.isNegative(),
					"shutdownTimeout must not be negative");
		}

		/**
		 * 10,000 runs buffered, batches of 500 every second, 10 attempts from 100 ms to 5
		 * s apart, 10 s to write what is left at shutdown.
		 */
		public static Settings defaults() {
			return new Settings(10_000, 500, Duration.ofSeconds(1), 10, Duration.ofMillis(100), Duration.ofSeconds(5),
					Duration.ofSeconds(10));
		}

		private static boolean positive(Duration duration) {
			return duration != null && !duration.isNegative() && !duration.isZero();
		}

	}

}
