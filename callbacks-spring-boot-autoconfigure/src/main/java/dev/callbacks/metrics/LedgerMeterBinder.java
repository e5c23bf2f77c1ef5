package dev.callbacks.metrics;

import dev.callbacks.ledger.DropReason;
import dev.callbacks.ledger.UsageLedgerRecorder;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The usage ledger's meters: runs written, runs dropped by reason, runs buffered. A
 * dropped run is one the ledger lacks: alert on {@code callbacks.ledger.dropped}.
 */
public final class LedgerMeterBinder implements MeterBinder {

	/** Runs written to the ledger. */
	public static final String WRITTEN = "callbacks.ledger.written";

	/** Runs not written, tagged with {@link #TAG_REASON}. */
	public static final String DROPPED = "callbacks.ledger.dropped";

	/** Runs waiting in the buffer. */
	public static final String BUFFERED = "callbacks.ledger.buffered";

	/**
	 * Why runs were dropped: {@code buffer-full}, {@code retries-exhausted},
	 * {@code shutdown}.
	 */
	public static final String TAG_REASON = "reason";

	private final UsageLedgerRecorder recorder;

	public LedgerMeterBinder(UsageLedgerRecorder recorder) {
		this.recorder = recorder;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		FunctionCounter.builder(WRITTEN, this.recorder, UsageLedgerRecorder::writtenRuns)
			.description("LLM runs written to the usage ledger")
			.register(registry);
		for (DropReason reason : DropReason.values()) {
			FunctionCounter.builder(DROPPED, this.recorder, (recorder) -> recorder.droppedRuns(reason))
				.description("LLM runs the usage ledger could not write")
				.tag(TAG_REASON, reason.tagValue())
				.register(registry);
		}
		Gauge.builder(BUFFERED, this.recorder, UsageLedgerRecorder::bufferedRuns)
			.description("LLM runs waiting to be written to the usage ledger")
			.register(registry);
	}

}
