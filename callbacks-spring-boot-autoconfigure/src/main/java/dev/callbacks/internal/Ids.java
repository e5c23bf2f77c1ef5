package dev.callbacks.internal;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Run ids: time-ordered UUIDs (version 7) from {@link ThreadLocalRandom}.
 * {@link UUID#randomUUID()} goes through a shared {@code SecureRandom}, which costs more
 * than the rest of a run's bookkeeping and contends under load; run ids need to be
 * unique, not unguessable.
 */
final class Ids {

	private Ids() {
	}

	static UUID next() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long millis = System.currentTimeMillis();
		long high = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
		long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(high, low);
	}

}
