package dev.callbacks.budget;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.callbacks.budget.BudgetStore.Charge;
import dev.callbacks.budget.BudgetStore.Outcome;
import dev.callbacks.budget.BudgetStore.Spent;

/**
 * Counts of per-request budgets, on the instance that runs the request (a request never
 * moves, so they need no shared store). Dropped when the request ends, or after an idle
 * time if nobody says it ended.
 */
final class RequestLedger {

	private static final long SWEEP_INTERVAL_MILLIS = 5_000;

	private final Clock clock;

	private final long idleMillis;

	private final ConcurrentHashMap<String, Request> requests = new ConcurrentHashMap<>();

	private final AtomicBoolean sweeping = new AtomicBoolean();

	private volatile long nextSweepAt;

	RequestLedger(Clock clock, long idleMillis) {
		this.clock = clock;
		this.idleMillis = idleMillis;
	}

	/** Adds every charge if each fits, atomically for the request. */
	Outcome reserve(String requestKey, List<Charge> charges) {
		long now = this.clock.millis();
		sweepIfDue(now);
		while (true) {
			Request request = this.requests.computeIfAbsent(requestKey, key -> new Request());
			synchronized (request) {
				if (request.ended) {
					continue;
				}
				request.touchedAt = now;
				int n = charges.size();
				Spent[] spent = new Spent[n];
				for (int i = 0; i < n; i++) {
					Charge charge = charges.get(i);
					long[] sum = request.sums.get(charge.counter());
					spent[i] = (sum != null) ? new Spent(sum[0], sum[1]) : Spent.ZERO;
					if (!charge.fits(spent[i].tokens(), spent[i].nanos())) {
						for (int j = i + 1; j < n; j++) {
							spent[j] = Spent.ZERO;
						}
						return new Outcome(i, Arrays.asList(spent), List.of());
					}
				}
				for (int i = 0; i < n; i++) {
					Charge charge = charges.get(i);
					long[] sum = request.sums.computeIfAbsent(charge.counter(), c -> new long[2]);
					sum[0] += charge.tokens();
					sum[1] += charge.nanos();
					spent[i] = new Spent(sum[0], sum[1]);
				}
				return Outcome.admitted(Arrays.asList(spent));
			}
		}
	}

	/** Adds the corrections, if the request is still known. */
	List<Spent> adjust(String requestKey, List<Charge> charges) {
		Request request = this.requests.get(requestKey);
		List<Spent> result = new ArrayList<>(charges.size());
		if (request == null) {
			charges.forEach(charge -> result.add(Spent.ZERO));
			return result;
		}
		synchronized (request) {
			request.touchedAt = this.clock.millis();
			for (Charge charge : charges) {
				long[] sum = request.sums.get(charge.counter());
				if (sum != null && !request.ended) {
					sum[0] += charge.tokens();
					sum[1] += charge.nanos();
				}
				result.add((sum != null) ? new Spent(sum[0], sum[1]) : Spent.ZERO);
			}
		}
		return result;
	}

	void end(String requestKey) {
		Request request = this.requests.remove(requestKey);
		if (request != null) {
			synchronized (request) {
				request.ended = true;
			}
		}
	}

	int size() {
		return this.requests.size();
	}

	private void sweepIfDue(long now) {
		if (now < this.nextSweepAt || !this.sweeping.compareAndSet(false, true)) {
			return;
		}
		try {
			this.nextSweepAt = now + SWEEP_INTERVAL_MILLIS;
			this.requests.forEach((key, request) -> {
				synchronized (request) {
					if (now - request.touchedAt >= this.idleMillis) {
						request.ended = true;
						this.requests.remove(key, request);
					}
				}
			});
		}
		finally {
			this.sweeping.set(false);
		}
	}

	private static final class Request {

		final Map<String, long[]> sums = new HashMap<>(4);

		long touchedAt;

		boolean ended;

	}

}
