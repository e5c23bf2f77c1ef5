package dev.callbacks.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock the test moves by hand. */
public final class MutableClock extends Clock {

	private final AtomicReference<Instant> now;

	private MutableClock(Instant now) {
		this.now = new AtomicReference<>(now);
	}

	public static MutableClock at(String instant) {
		return new MutableClock(Instant.parse(instant));
	}

	public void set(String instant) {
		this.now.set(Instant.parse(instant));
	}

	public void set(Instant instant) {
		this.now.set(instant);
	}

	public void advance(Duration duration) {
		this.now.updateAndGet(instant -> instant.plus(duration));
	}

	@Override
	public Instant instant() {
		return this.now.get();
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return this;
	}

}
