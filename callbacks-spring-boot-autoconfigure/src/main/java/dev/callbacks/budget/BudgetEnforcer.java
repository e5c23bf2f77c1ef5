package dev.callbacks.budget;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.callbacks.budget.BudgetStore.Charge;
import dev.callbacks.budget.BudgetStore.Outcome;
import dev.callbacks.budget.BudgetStore.Spent;
import dev.callbacks.usage.ModelPrices;
import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;

/**
 * Checks budgets before each model round: {@link #admit(RoundRequest)} reserves the
 * round's estimate in every budget that applies (configured ones and those the request
 * gives in code), atomically, and throws {@link BudgetExceededException} when one has no
 * room; the returned {@link Admission} replaces the reservation with the provider's usage
 * when the round ends. Per-request budgets are counted on this instance; the others in
 * the {@link BudgetStore}.
 * <p>
 * A budget applies to a round when its clients include the round's client and the round
 * has a key for its scope (a user budget does not apply to a round without a user).
 */
public final class BudgetEnforcer {

	private static final Logger logger = LoggerFactory.getLogger(BudgetEnforcer.class);

	static final String GLOBAL_KEY = "*";

	private final List<Budget> budgets;

	private final BudgetStore store;

	private final ModelPrices prices;

	private final Clock clock;

	private final BudgetListener listener;

	private final FailurePolicy failurePolicy;

	private final RequestLedger ledger;

	private volatile boolean storeDown;

	private BudgetEnforcer(Builder builder) {
		this.budgets = List.copyOf(builder.budgets);
		this.store = builder.store;
		this.prices = builder.prices;
		this.clock = builder.clock;
		this.listener = builder.listener;
		this.failurePolicy = builder.failurePolicy;
		this.ledger = new RequestLedger(builder.clock, builder.requestIdleTimeout.toMillis());
	}

	/** A builder: an in-memory store, the bundled prices, the system clock unless set. */
	public static Builder builder() {
		return new Builder();
	}

	/** The configured budgets (budgets given in code come with each round). */
	public List<Budget> budgets() {
		return this.budgets;
	}

	/**
	 * Whether no budget is configured: then a round that gives none in code needs no
	 * check (and its prompt need not be counted).
	 */
	public boolean isEmpty() {
		return this.budgets.isEmpty();
	}

	/**
	 * Reserves the round's estimate in every budget that applies. Call it before each
	 * model round, tool rounds included; may block on a remote store, so use
	 * {@link #admitAsync(RoundRequest)} where blocking is not allowed.
	 * @return the admission to settle when the round ends ({@link Admission#NONE} when no
	 * budget applies)
	 * @throws BudgetExceededException when a budget has no room for the round
	 * @throws BudgetUnavailableException when the store failed and the policy is
	 * fail-closed
	 */
	public Admission admit(RoundRequest request) {
		Plan plan = plan(request);
		if (plan == null) {
			return Admission.NONE;
		}
		reserveLocal(plan);
		if (plan.shared.isEmpty()) {
			return new Admission(this, plan);
		}
		Outcome outcome;
		try {
			outcome = this.store.reserve(charges(plan.shared));
		}
		catch (RuntimeException ex) {
			return storeFailed(plan, ex);
		}
		return reserved(plan, outcome);
	}

	/**
	 * {@link #admit(RoundRequest)} without blocking: for streams. Fails with
	 * {@link BudgetExceededException} or {@link BudgetUnavailableException}.
	 */
	public Mono<Admission> admitAsync(RoundRequest request) {
		return Mono.defer(() -> {
			Plan plan = plan(request);
			if (plan == null) {
				return Mono.just(Admission.NONE);
			}
			reserveLocal(plan);
			if (plan.shared.isEmpty()) {
				return Mono.just(new Admission(this, plan));
			}
			return this.store.reserveAsync(charges(plan.shared))
				.map(outcome -> reserved(plan, outcome))
				.onErrorResume((ex) -> !(ex instanceof BudgetException), (ex) -> {
					try {
						return Mono.just(storeFailed(plan, ex));
					}
					catch (BudgetException rejected) {
						return Mono.error(rejected);
					}
				});
		});
	}

	/**
	 * Forgets the counts of a request's per-request budgets. Call it when the request
	 * (the chain run) ends; otherwise they go after the idle timeout.
	 */
	public void requestEnded(String requestKey) {
		this.ledger.end(requestKey);
	}

	/** Requests whose per-request counts are held (for tests and diagnostics). */
	int requestsHeld() {
		return this.ledger.size();
	}

	// Budgets that apply, with their scope keys, slots and estimates; null if none.
	private @Nullable Plan plan(RoundRequest request) {
		List<Budget> given = request.budgets();
		if (this.budgets.isEmpty() && given.isEmpty()) {
			return null;
		}
		Instant now = this.clock.instant();
		ModelPrices.Price price = (request.model() != null) ? this.prices.lookup(request.model()) : null;
		List<Entry> local = new ArrayList<>(2);
		List<Entry> shared = new ArrayList<>(4);
		Set<String> counters = null;
		int total = this.budgets.size() + given.size();
		for (int i = 0; i < total; i++) {
			Budget budget = (i < this.budgets.size()) ? this.budgets.get(i) : given.get(i - this.budgets.size());
			if (!budget.appliesTo(request.client())) {
				continue;
			}
			String scopeKey = scopeKey(budget.scope(), request);
			if (scopeKey == null) {
				continue;
			}
			String counter = counter(budget, scopeKey);
			if (total > 1) {
				// The same budget given twice (configured and in code) is counted once.
				counters = (counters != null) ? counters : new HashSet<>();
				if (!counters.add(counter)) {
					continue;
				}
			}
			long maxOutput = (request.maxOutputTokens() != null) ? request.maxOutputTokens()
					: budget.defaultMaxOutputTokens();
			long tokens = request.promptTokens() + maxOutput;
			long nanos = estimateNanos(price, request.promptTokens(), maxOutput);
			Slot slot = Slot.of(budget, now);
			Charge charge = new Charge(counter, slot.bucket(), slot.span(), slot.expiresAtMillis(), tokens, nanos,
					budget.limitTokensOrMax(), budget.limitNanos(), true);
			Entry entry = new Entry(budget, (budget.scope() != Scope.GLOBAL) ? scopeKey : null, slot, charge);
			((budget.scope() == Scope.REQUEST) ? local : shared).add(entry);
		}
		if (local.isEmpty() && shared.isEmpty()) {
			return null;
		}
		return new Plan(request, price, now, local, shared);
	}

	private static @Nullable String scopeKey(Scope scope, RoundRequest request) {
		return switch (scope) {
			case REQUEST -> request.requestKey();
			case CONVERSATION -> request.identity().conversation();
			case USER -> request.identity().user();
			case TENANT -> request.identity().tenant();
			case CLIENT -> request.client();
			case GLOBAL -> GLOBAL_KEY;
		};
	}

	static String counter(Budget budget, String scopeKey) {
		if (budget.scope() == Scope.REQUEST) {
			return budget.counterId();
		}
		return budget.counterPrefix() + scopeKey;
	}

	private void reserveLocal(Plan plan) {
		if (plan.local.isEmpty()) {
			return;
		}
		Outcome outcome = this.ledger.reserve(plan.request.requestKey(), charges(plan.local));
		if (!outcome.admitted()) {
			Entry entry = plan.local.get(outcome.denied());
			throw rejected(entry, outcome.spent().get(outcome.denied()), outcome, entry.charge.tokens(),
					entry.charge.nanos(), plan.now, false);
		}
		for (Entry entry : plan.local) {
			entry.reserve(entry.charge.tokens(), entry.charge.nanos());
		}
	}

	private Admission reserved(Plan plan, Outcome outcome) {
		if (!outcome.admitted()) {
			releaseLocal(plan);
			Entry entry = plan.shared.get(outcome.denied());
			throw rejected(entry, outcome.spent().get(outcome.denied()), outcome, entry.charge.tokens(),
					entry.charge.nanos(), plan.now, false);
		}
		storeReachable();
		for (int i = 0; i < plan.shared.size(); i++) {
			Entry entry = plan.shared.get(i);
			entry.counted = true;
			entry.reserve(entry.charge.tokens(), entry.charge.nanos());
			reportSpent(entry, outcome.spent().get(i));
		}
		return new Admission(this, plan);
	}

	private Admission storeFailed(Plan plan, Throwable error) {
		boolean reject = this.failurePolicy == FailurePolicy.FAIL_CLOSED;
		this.listener.onStoreFailure("reserve", reject, error);
		if (!this.storeDown) {
			this.storeDown = true;
			logger.warn("Budget store unavailable ({}): {} until it is back", error.toString(),
					reject ? "rounds are rejected (fail-closed)"
							: "rounds run without counting in shared budgets (fail-open)");
		}
		if (reject) {
			releaseLocal(plan);
			throw new BudgetUnavailableException(plan.shared.get(0).budget.id(), error);
		}
		return new Admission(this, plan);
	}

	private void storeReachable() {
		if (this.storeDown) {
			this.storeDown = false;
			logger.info("Budget store reachable again");
		}
	}

	private void releaseLocal(Plan plan) {
		if (plan.local.isEmpty()) {
			return;
		}
		List<Charge> back = new ArrayList<>(plan.local.size());
		for (Entry entry : plan.local) {
			back.add(entry.charge.withAmounts(-entry.reservedTokens, -entry.reservedNanos));
			entry.reserve(-entry.reservedTokens, -entry.reservedNanos);
		}
		this.ledger.adjust(plan.request.requestKey(), back);
	}

	BudgetExceededException rejected(Entry entry, Spent spent, Outcome outcome, long needTokens, long needNanos,
			Instant now, boolean duringStream) {
		Budget budget = entry.budget;
		Instant resetsAt = entry.slot.resetsAt(outcome.deniedBuckets(), spent.tokens(), spent.nanos(), needTokens,
				needNanos, budget.limitTokensOrMax(), budget.limitNanos());
		Duration retryAfter = null;
		if (resetsAt != null) {
			retryAfter = Duration.between(now, resetsAt);
			retryAfter = retryAfter.isNegative() ? Duration.ZERO : retryAfter;
		}
		BudgetExceededException exception = new BudgetExceededException(budget.id(), budget.scope(), entry.scopeKey,
				budget.period(), budget.window(), budget.limitTokens(), budget.limitUsd(), spent.tokens(),
				usd(spent.nanos()), needTokens, usd(needNanos), resetsAt, retryAfter, duringStream);
		this.listener.onRejected(budget, exception);
		return exception;
	}

	// Settles every entry with the round's actual usage (a correction of each
	// reservation); blocking for a remote store.
	void settle(Plan plan, long tokens, long nanos) {
		List<Charge> local = corrections(plan.local, tokens, nanos, false);
		List<Charge> shared = corrections(plan.shared, tokens, nanos, true);
		reportSettled(plan, tokens, nanos);
		if (!local.isEmpty()) {
			this.ledger.adjust(plan.request.requestKey(), local);
		}
		if (!shared.isEmpty()) {
			try {
				reportSpent(plan.shared, this.store.adjust(shared));
			}
			catch (RuntimeException ex) {
				settleFailed(ex);
			}
		}
	}

	Mono<Void> settleAsync(Plan plan, long tokens, long nanos) {
		List<Charge> local = corrections(plan.local, tokens, nanos, false);
		List<Charge> shared = corrections(plan.shared, tokens, nanos, true);
		reportSettled(plan, tokens, nanos);
		if (!local.isEmpty()) {
			this.ledger.adjust(plan.request.requestKey(), local);
		}
		if (shared.isEmpty()) {
			return Mono.empty();
		}
		return this.store.adjustAsync(shared).doOnNext(spent -> reportSpent(plan.shared, spent)).onErrorResume(ex -> {
			settleFailed(ex);
			return Mono.empty();
		}).then();
	}

	private List<Charge> corrections(List<Entry> entries, long tokens, long nanos, boolean countedOnly) {
		List<Charge> corrections = new ArrayList<>(entries.size());
		for (Entry entry : entries) {
			if (countedOnly && !entry.counted) {
				continue;
			}
			corrections.add(entry.charge.withAmounts(tokens - entry.reservedTokens, nanos - entry.reservedNanos));
		}
		return corrections;
	}

	private void reportSettled(Plan plan, long tokens, long nanos) {
		BigDecimal usd = usd(nanos);
		for (Entry entry : plan.local) {
			this.listener.onSettled(entry.budget, tokens, usd);
		}
		for (Entry entry : plan.shared) {
			this.listener.onSettled(entry.budget, tokens, usd);
		}
	}

	private void settleFailed(Throwable error) {
		this.listener.onStoreFailure("settle", false, error);
		logger.debug("Budget store failed to settle a round; its reservation stays until its period ends", error);
	}

	// Stream extensions: more tokens than reserved. Local entries synchronously.
	@Nullable Outcome extendLocal(Plan plan, List<Charge> charges) {
		return charges.isEmpty() ? null : this.ledger.reserve(plan.request.requestKey(), charges);
	}

	Mono<Outcome> extendShared(List<Charge> charges) {
		return this.store.reserveAsync(charges);
	}

	void giveBack(Plan plan, List<Entry> entries, List<Charge> charges) {
		List<Charge> local = new ArrayList<>();
		List<Charge> shared = new ArrayList<>();
		for (int i = 0; i < entries.size(); i++) {
			Charge back = charges.get(i).withAmounts(-charges.get(i).tokens(), -charges.get(i).nanos());
			((entries.get(i).budget.scope() == Scope.REQUEST) ? local : shared).add(back);
		}
		if (!local.isEmpty()) {
			this.ledger.adjust(plan.request.requestKey(), local);
		}
		if (!shared.isEmpty()) {
			this.store.adjustAsync(shared).onErrorResume(ex -> {
				settleFailed(ex);
				return Mono.empty();
			}).subscribe();
		}
	}

	void reportSpent(List<Entry> entries, List<Spent> spent) {
		int s = 0;
		for (Entry entry : entries) {
			if (entry.counted && s < spent.size()) {
				reportSpent(entry, spent.get(s++));
			}
		}
	}

	private void reportSpent(Entry entry, Spent spent) {
		Scope scope = entry.budget.scope();
		if (scope == Scope.GLOBAL || scope == Scope.CLIENT) {
			this.listener.onSpent(entry.budget, entry.scopeKey, spent.tokens(), usd(spent.nanos()));
		}
	}

	void storeFailedDuringStream(Throwable error) {
		this.listener.onStoreFailure("reserve", false, error);
	}

	FailurePolicy failurePolicy() {
		return this.failurePolicy;
	}

	Clock clock() {
		return this.clock;
	}

	/** Actual nano-dollars of a round: the cost given, else priced, else 0. */
	long actualNanos(Plan plan, TokenUsage usage, @Nullable BigDecimal cost) {
		if (cost != null) {
			return ceilNanos(cost);
		}
		String model = plan.request.model();
		if (model == null || usage.isEmpty()) {
			return 0;
		}
		BigDecimal priced = this.prices.cost(model, usage);
		return (priced != null) ? ceilNanos(priced) : 0;
	}

	static long estimateNanos(ModelPrices.@Nullable Price price, long promptTokens, long outputTokens) {
		if (price == null) {
			return 0;
		}
		// USD per million tokens is 1,000 nano-dollars per token. Cache reads are not
		// known in advance: the estimate prices every prompt token in full.
		BigDecimal nanos = price.prompt()
			.multiply(BigDecimal.valueOf(promptTokens))
			.add(price.completion().multiply(BigDecimal.valueOf(outputTokens)))
			.movePointRight(3);
		return nanos.setScale(0, RoundingMode.CEILING).longValue();
	}

	static long ceilNanos(BigDecimal usd) {
		return usd.movePointRight(9).setScale(0, RoundingMode.CEILING).longValue();
	}

	static BigDecimal usd(long nanos) {
		return BigDecimal.valueOf(nanos, 9);
	}

	/** One round's budgets. */
	static final class Plan {

		final RoundRequest request;

		final ModelPrices.@Nullable Price price;

		final Instant now;

		final List<Entry> local;

		final List<Entry> shared;

		Plan(RoundRequest request, ModelPrices.@Nullable Price price, Instant now, List<Entry> local,
				List<Entry> shared) {
			this.request = request;
			this.price = price;
			this.now = now;
			this.local = local;
			this.shared = shared;
		}

	}

	/** One budget of a round, with what is reserved in it (guarded by the admission). */
	static final class Entry {

		final Budget budget;

		final @Nullable String scopeKey;

		final Slot slot;

		final Charge charge;

		long reservedTokens;

		long reservedNanos;

		// Whether the reservation is in the store (false when the store failed open).
		boolean counted;

		Entry(Budget budget, @Nullable String scopeKey, Slot slot, Charge charge) {
			this.budget = budget;
			this.scopeKey = scopeKey;
			this.slot = slot;
			this.charge = charge;
			this.counted = budget.scope() == Scope.REQUEST;
		}

		void reserve(long tokens, long nanos) {
			this.reservedTokens += tokens;
			this.reservedNanos += nanos;
		}

	}

	static List<Charge> charges(List<Entry> entries) {
		List<Charge> charges = new ArrayList<>(entries.size());
		for (Entry entry : entries) {
			charges.add(entry.charge);
		}
		return charges;
	}

	/** Builds a {@link BudgetEnforcer}. */
	public static final class Builder {

		private List<Budget> budgets = List.of();

		private BudgetStore store;

		private ModelPrices prices = ModelPrices.defaults();

		private Clock clock = Clock.systemUTC();

		private BudgetListener listener = new BudgetListener() {
		};

		private FailurePolicy failurePolicy = FailurePolicy.FAIL_OPEN;

		private Duration requestIdleTimeout = Duration.ofHours(1);

		private boolean storeSet;

		private Builder() {
			this.store = new InMemoryBudgetStore(this.clock);
		}

		/** The configured budgets (names must be unique). */
		public Builder budgets(List<Budget> budgets) {
			Set<String> names = new HashSet<>();
			for (Budget budget : budgets) {
				Assert.isTrue(budget.name() == null || names.add(budget.name()),
						() -> "Two budgets are named '" + budget.name() + "'");
			}
			this.budgets = List.copyOf(budgets);
			return this;
		}

		/** Where the counts live (in memory by default). */
		public Builder store(BudgetStore store) {
			Assert.notNull(store, "store must not be null");
			this.store = store;
			this.storeSet = true;
			return this;
		}

		/** Prices for USD budgets (the bundled table by default). */
		public Builder prices(ModelPrices prices) {
			Assert.notNull(prices, "prices must not be null");
			this.prices = prices;
			return this;
		}

		/** The clock periods roll over by (the system's by default). */
		public Builder clock(Clock clock) {
			Assert.notNull(clock, "clock must not be null");
			this.clock = clock;
			if (!this.storeSet) {
				this.store = new InMemoryBudgetStore(clock);
			}
			return this;
		}

		/** Who hears of rejections, spending and store failures. */
		public Builder listeners(List<? extends BudgetListener> listeners) {
			List<BudgetListener> all = List.copyOf(listeners);
			this.listener = switch (all.size()) {
				case 0 -> new BudgetListener() {
				};
				case 1 -> all.get(0);
				default -> new CompositeListener(all);
			};
			return this;
		}

		/** What rounds do when the store fails (fail-open by default). */
		public Builder failurePolicy(FailurePolicy failurePolicy) {
			Assert.notNull(failurePolicy, "failurePolicy must not be null");
			this.failurePolicy = failurePolicy;
			return this;
		}

		/**
		 * How long per-request counts stay after a request's last round when nobody calls
		 * {@link BudgetEnforcer#requestEnded(String)} (1 hour by default).
		 */
		public Builder requestIdleTimeout(Duration timeout) {
			Assert.isTrue(timeout != null && !timeout.isNegative() && !timeout.isZero(),
					"requestIdleTimeout must be positive");
			this.requestIdleTimeout = timeout;
			return this;
		}

		public BudgetEnforcer build() {
			return new BudgetEnforcer(this);
		}

	}

	private record CompositeListener(List<BudgetListener> listeners) implements BudgetListener {

		@Override
		public void onRejected(Budget budget, BudgetExceededException exception) {
			this.listeners.forEach(l -> l.onRejected(budget, exception));
		}

		@Override
		public void onSettled(Budget budget, long tokens, BigDecimal usd) {
			this.listeners.forEach(l -> l.onSettled(budget, tokens, usd));
		}

		@Override
		public void onSpent(Budget budget, @Nullable String scopeKey, long tokens, BigDecimal usd) {
			this.listeners.forEach(l -> l.onSpent(budget, scopeKey, tokens, usd));
		}

		@Override
		public void onStoreFailure(String operation, boolean rejected, Throwable error) {
			this.listeners.forEach(l -> l.onStoreFailure(operation, rejected, error));
		}

	}

}
