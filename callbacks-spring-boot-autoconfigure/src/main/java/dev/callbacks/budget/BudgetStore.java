package dev.callbacks.budget;

import java.util.List;

import reactor.core.publisher.Mono;

/**
 * Where budget counts live: {@link InMemoryBudgetStore} for one instance, a Redis store
 * for a cluster. A counter holds tokens and nano-dollars in time buckets; a budget counts
 * the sum of the last {@link Charge#span()} buckets of its counter (one bucket for a
 * calendar period, 61 for a rolling one). Stores know nothing of periods or scopes: the
 * enforcer computes buckets and limits.
 * <p>
 * Implementations must make {@link #reserve(List)} atomic over all its charges (all
 * admitted or none, and no two concurrent calls both admitted past a limit), and must
 * forget a bucket no earlier than {@link Charge#expiresAtMillis()}.
 */
public interface BudgetStore {

	/**
	 * Adds every charge to its counter if each enforced one stays within its limits;
	 * otherwise changes nothing. May block (the enforcer calls it on {@code call()}
	 * rounds).
	 * @param charges one per budget, on distinct counters
	 * @return what was admitted or denied, with the counters' sums
	 * @throws RuntimeException when the store cannot be reached (the enforcer applies its
	 * {@link FailurePolicy})
	 */
	Outcome reserve(List<Charge> charges);

	/**
	 * Adds each charge (a correction, possibly negative) to its bucket, if that bucket
	 * still counts; never checks limits. May block.
	 * @return the counters' sums afterwards, one per charge
	 */
	List<Spent> adjust(List<Charge> charges);

	/**
	 * {@link #reserve(List)} without blocking. The default calls it on subscription:
	 * override it when {@code reserve} blocks.
	 */
	default Mono<Outcome> reserveAsync(List<Charge> charges) {
		return Mono.fromSupplier(() -> reserve(charges));
	}

	/**
	 * {@link #adjust(List)} without blocking. The default calls it on subscription:
	 * override it when {@code adjust} blocks.
	 */
	default Mono<List<Spent>> adjustAsync(List<Charge> charges) {
		return Mono.fromSupplier(() -> adjust(charges));
	}

	/**
	 * An amount for one counter.
	 *
	 * @param counter the counter's key (budget and scope key)
	 * @param bucket the time bucket the amount belongs to (an index that grows with time)
	 * @param span how many buckets, up to and including {@code bucket}, the budget counts
	 * @param expiresAtMillis epoch millisecond from which {@code bucket} no longer counts
	 * (when the counter may be forgotten if nothing newer was added)
	 * @param tokens tokens to add (negative to give back)
	 * @param nanos nano-dollars to add (negative to give back)
	 * @param limitTokens the token limit of the sum, {@link Long#MAX_VALUE} for none
	 * @param limitNanos the nano-dollar limit of the sum, {@link Long#MAX_VALUE} for none
	 * @param enforce whether the limits apply ({@code false}: add whatever the sum)
	 */
	record Charge(String counter, long bucket, int span, long expiresAtMillis, long tokens, long nanos,
			long limitTokens, long limitNanos, boolean enforce) {

		/** This charge with other amounts. */
		public Charge withAmounts(long tokens, long nanos) {
			return new Charge(this.counter, this.bucket, this.span, this.expiresAtMillis, tokens, nanos,
					this.limitTokens, this.limitNanos, this.enforce);
		}

		/** This charge enforced or not. */
		public Charge withEnforce(boolean enforce) {
			return new Charge(this.counter, this.bucket, this.span, this.expiresAtMillis, this.tokens, this.nanos,
					this.limitTokens, this.limitNanos, enforce);
		}

		/** Whether the sum {@code spent} has room for this charge. */
		public boolean fits(long spentTokens, long spentNanos) {
			return !this.enforce
					|| (spentTokens + this.tokens <= this.limitTokens && spentNanos + this.nanos <= this.limitNanos);
		}

	}

	/**
	 * The sum a counter counts.
	 *
	 * @param tokens tokens (reservations included)
	 * @param nanos nano-dollars (reservations included)
	 */
	record Spent(long tokens, long nanos) {

		/** Nothing. */
		public static final Spent ZERO = new Spent(0, 0);

	}

	/**
	 * One bucket of a counter.
	 *
	 * @param index the bucket
	 * @param tokens its tokens
	 * @param nanos its nano-dollars
	 */
	record Bucket(long index, long tokens, long nanos) {
	}

	/**
	 * What {@link #reserve(List)} did.
	 *
	 * @param denied the index of the first charge that did not fit, or {@code -1} when
	 * all were added
	 * @param spent one per charge: the sum after the reservation when admitted; when
	 * denied, the sums as they were (only the denied charge's and those before it are
	 * required)
	 * @param deniedBuckets the counted buckets of the denied counter, oldest first (so
	 * that the enforcer can tell when enough drops out of a rolling window); empty when
	 * admitted
	 */
	record Outcome(int denied, List<Spent> spent, List<Bucket> deniedBuckets) {

		public Outcome {
			spent = List.copyOf(spent);
			deniedBuckets = List.copyOf(deniedBuckets);
		}

		/** All charges added. */
		public static Outcome admitted(List<Spent> spent) {
			return new Outcome(-1, spent, List.of());
		}

		/** Whether all charges were added. */
		public boolean admitted() {
			return this.denied < 0;
		}

	}

}
