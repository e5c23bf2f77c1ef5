package dev.callbacks.budget;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Budget counts in this JVM: exact for one instance. Each counter has a monitor; a
 * reservation holds the monitors of its counters, taken in one global order (by key), so
 * it is atomic over all its budgets without deadlocks. Counters whose newest bucket has
 * expired are evicted (checked at most every few seconds, by the clock), so memory holds
 * only counters still counting something.
 */
public final class InMemoryBudgetStore implements BudgetStore {

	private static final long SWEEP_INTERVAL_MILLIS = 5_000;

	private final Clock clock;

	private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

	private final AtomicBoolean sweeping = new AtomicBoolean();

	private volatile long nextSweepAt;

	/** A store on the system clock. */
	public InMemoryBudgetStore() {
		this(Clock.systemUTC());
	}

	/** A store that evicts expired counters by {@code clock}. */
	public InMemoryBudgetStore(Clock clock) {
		Assert.notNull(clock, "clock must not be null");
		this.clock = clock;
	}

	@Override
	public Outcome reserve(List<Charge> charges) {
		sweepIfDue();
		int n = charges.size();
		Integer[] order = new Integer[n];
		for (int i = 0; i < n; i++) {
			order[i] = i;
		}
		if (n > 1) {
			Arrays.sort(order, Comparator.comparing(i -> charges.get(i).counter()));
		}
		Counter[] counters = new Counter[n];
		while (true) {
			for (int i = 0; i < n; i++) {
				Charge charge = charges.get(i);
				counters[i] = this.counters.computeIfAbsent(charge.counter(), key -> new Counter(key, charge.span()));
			}
			Outcome outcome = reserveLocked(charges, counters, order, 0);
			if (outcome != null) {
				return outcome;
			}
			// A counter was evicted between lookup and lock: look them up again.
		}
	}

	// Monitors rather than j.u.c. locks: held for a few additions, and never reported as
	// blocking by BlockHound on event-loop threads. Taken in key order, recursively.
	private @Nullable Outcome reserveLocked(List<Charge> charges, Counter[] counters, Integer[] order, int k) {
		if (k == order.length) {
			return reserveHeld(charges, counters);
		}
		Counter counter = counters[order[k]];
		synchronized (counter) {
			if (counter.retired) {
				return null;
			}
			Charge charge = charges.get(order[k]);
			Assert.state(counter.span == charge.span(),
					() -> "Counter " + charge.counter() + " counts " + counter.span + " buckets, not " + charge.span());
			return reserveLocked(charges, counters, order, k + 1);
		}
	}

	private Outcome reserveHeld(List<Charge> charges, Counter[] counters) {
		int n = charges.size();
		Spent[] spent = new Spent[n];
		for (int i = 0; i < n; i++) {
			Charge charge = charges.get(i);
			Counter counter = counters[i];
			long tokens = counter.sumTokens(charge.bucket());
			long nanos = counter.sumNanos(charge.bucket());
			spent[i] = new Spent(tokens, nanos);
			if (!charge.fits(tokens, nanos)) {
				for (int j = i + 1; j < n; j++) {
					spent[j] = Spent.ZERO;
				}
				return new Outcome(i, Arrays.asList(spent), counter.buckets(charge.bucket()));
			}
		}
		for (int i = 0; i < n; i++) {
			Charge charge = charges.get(i);
			counters[i].add(charge);
			spent[i] = new Spent(spent[i].tokens() + charge.tokens(), spent[i].nanos() + charge.nanos());
		}
		return Outcome.admitted(Arrays.asList(spent));
	}

	@Override
	public List<Spent> adjust(List<Charge> charges) {
		List<Spent> result = new ArrayList<>(charges.size());
		for (Charge charge : charges) {
			Counter counter = this.counters.get(charge.counter());
			if (counter == null) {
				result.add(Spent.ZERO);
				continue;
			}
			synchronized (counter) {
				if (!counter.retired) {
					counter.adjust(charge);
				}
				result.add(new Spent(counter.sumTokens(charge.bucket()), counter.sumNanos(charge.bucket())));
			}
		}
		return result;
	}

	/** How many counters are held (expired ones go at the next sweep). */
	public int size() {
		return this.counters.size();
	}

	private void sweepIfDue() {
		long now = this.clock.millis();
		if (now < this.nextSweepAt || !this.sweeping.compareAndSet(false, true)) {
			return;
		}
		try {
			this.nextSweepAt = now + SWEEP_INTERVAL_MILLIS;
			for (Counter counter : this.counters.values()) {
				if (counter.expiresAt <= now) {
					synchronized (counter) {
						if (counter.expiresAt <= now) {
							counter.retired = true;
							this.counters.remove(counter.key, counter);
						}
					}
				}
			}
		}
		finally {
			this.sweeping.set(false);
		}
	}

	/**
	 * Buckets in a ring: bucket {@code b} lives in slot {@code b mod span} until a bucket
	 * {@code span} newer takes the slot. Guarded by its monitor.
	 */
	private static final class Counter {

		final String key;

		final int span;

		final long[] index;

		final long[] tokens;

		final long[] nanos;

		long expiresAt;

		boolean retired;

		Counter(String key, int span) {
			this.key = key;
			this.span = span;
			this.index = new long[span];
			Arrays.fill(this.index, Long.MIN_VALUE);
			this.tokens = new long[span];
			this.nanos = new long[span];
		}

		long sumTokens(long bucket) {
			long oldest = bucket - this.span + 1;
			long sum = 0;
			for (int s = 0; s < this.span; s++) {
				if (this.index[s] >= oldest) {
					sum += this.tokens[s];
				}
			}
			return sum;
		}

		long sumNanos(long bucket) {
			long oldest = bucket - this.span + 1;
			long sum = 0;
			for (int s = 0; s < this.span; s++) {
				if (this.index[s] >= oldest) {
					sum += this.nanos[s];
				}
			}
			return sum;
		}

		List<Bucket> buckets(long bucket) {
			long oldest = bucket - this.span + 1;
			List<Bucket> buckets = new ArrayList<>();
			for (int s = 0; s < this.span; s++) {
				if (this.index[s] >= oldest) {
					buckets.add(new Bucket(this.index[s], this.tokens[s], this.nanos[s]));
				}
			}
			buckets.sort(Comparator.comparingLong(Bucket::index));
			return buckets;
		}

		void add(Charge charge) {
			int slot = (int) Math.floorMod(charge.bucket(), (long) this.span);
			if (this.index[slot] < charge.bucket()) {
				this.index[slot] = charge.bucket();
				this.tokens[slot] = 0;
				this.nanos[slot] = 0;
			}
			else if (this.index[slot] > charge.bucket()) {
				// A newer bucket holds the slot: this one no longer counts.
				return;
			}
			this.tokens[slot] += charge.tokens();
			this.nanos[slot] += charge.nanos();
			this.expiresAt = Math.max(this.expiresAt, charge.expiresAtMillis());
		}

		void adjust(Charge charge) {
			int slot = (int) Math.floorMod(charge.bucket(), (long) this.span);
			if (this.index[slot] == charge.bucket()) {
				this.tokens[slot] += charge.tokens();
				this.nanos[slot] += charge.nanos();
			}
		}

	}

}
