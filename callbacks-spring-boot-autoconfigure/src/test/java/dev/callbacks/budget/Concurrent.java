package dev.callbacks.budget;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs rounds from many threads released at once, and sorts the outcomes. */
final class Concurrent {

	private Concurrent() {
	}

	static Result admit(int rounds, Round round) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(Math.min(rounds, 64));
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Object>> futures = new ArrayList<>();
			for (int i = 0; i < rounds; i++) {
				int index = i;
				futures.add(pool.submit(() -> {
					if (!start.await(30, TimeUnit.SECONDS)) {
						throw new IllegalStateException("not started");
					}
					try {
						Admission admission = round.run(index);
						return new Admitted(admission, admission.reservedTokens());
					}
					catch (BudgetException ex) {
						return ex;
					}
				}));
			}
			start.countDown();
			List<Admitted> admitted = new ArrayList<>();
			List<BudgetExceededException> rejected = new ArrayList<>();
			List<BudgetUnavailableException> unavailable = new ArrayList<>();
			for (Future<Object> future : futures) {
				Object outcome = future.get(60, TimeUnit.SECONDS);
				if (outcome instanceof Admitted a) {
					admitted.add(a);
				}
				else if (outcome instanceof BudgetExceededException ex) {
					rejected.add(ex);
				}
				else {
					unavailable.add((BudgetUnavailableException) outcome);
				}
			}
			return new Result(admitted, rejected, unavailable);
		}
		finally {
			pool.shutdownNow();
			pool.awaitTermination(10, TimeUnit.SECONDS);
		}
	}

	interface Round {

		Admission run(int index) throws Exception;

	}

	record Admitted(Admission admission, long estimate) {
	}

	record Result(List<Admitted> admitted, List<BudgetExceededException> rejected,
			List<BudgetUnavailableException> unavailable) {
	}

}
