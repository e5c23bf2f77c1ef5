package dev.callbacks.budget;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import dev.callbacks.budget.BudgetEnforcer.Entry;
import dev.callbacks.budget.BudgetEnforcer.Plan;
import dev.callbacks.budget.BudgetStore.Charge;
import dev.callbacks.budget.BudgetStore.Outcome;
import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * A round admitted by {@link BudgetEnforcer#admit(RoundRequest)}, holding its reservation
 * until the round ends. Settle it exactly once — with
 * {@link #settle(TokenUsage, BigDecimal)} (or
 * {@link #settleAsync(TokenUsage, BigDecimal)} on a stream) when the round ends,
 * successfully or not, with whatever usage the provider reported, or {@link #release()}
 * when it reported none; later calls do nothing. While a stream runs,
 * {@link #check(long)} tells whether it may go on.
 * <p>
 * Thread-safe.
 */
public final class Admission {

	/** An admission with no budget: everything is a no-op. */
	public static final Admission NONE = new Admission();

	// A stream overrunning its reservation extends it by at least this much per store
	// call, so that a long overrun costs one call per so many tokens, not per token.
	private static final long STREAM_STEP_TOKENS = 64;

	private final @Nullable BudgetEnforcer enforcer;

	private final @Nullable Plan plan;

	private final List<Entry> entries;

	private boolean settled;

	private boolean extending;

	private volatile @Nullable BudgetException stopped;

	// Completion tokens the stream may reach before any budget needs more: the smallest
	// output reservation of the budgets that stop streams. Read without locking.
	private volatile long headroom;

	private Admission() {
		this.enforcer = null;
		this.plan = null;
		this.entries = List.of();
		this.headroom = Long.MAX_VALUE;
	}

	Admission(BudgetEnforcer enforcer, Plan plan) {
		this.enforcer = enforcer;
		this.plan = plan;
		List<Entry> entries = new ArrayList<>(plan.local.size() + plan.shared.size());
		entries.addAll(plan.local);
		entries.addAll(plan.shared);
		this.entries = entries;
		this.headroom = computeHeadroom();
	}

	/** Whether no budget applies to the round. */
	public boolean isEmpty() {
		return this.entries.isEmpty();
	}

	/** The budgets the round is counted in. */
	public List<Budget> budgets() {
		return this.entries.stream().map(entry -> entry.budget).toList();
	}

	/** Tokens reserved in the first budget (for tests). */
	synchronized long reservedTokens() {
		return this.entries.isEmpty() ? 0 : this.entries.get(0).reservedTokens;
	}

	/**
	 * Replaces the reservation with what the round used; may block on a remote store.
	 * @param usage the provider's usage (or the estimate, if it reported none)
	 * @param cost the round's cost in USD, if known; otherwise priced from the model
	 * prices
	 */
	public void settle(TokenUsage usage, @Nullable BigDecimal cost) {
		if (markSettled()) {
			enforcer().settle(plan(), usage.totalTokens(), enforcer().actualNanos(plan(), usage, cost));
		}
	}

	/**
	 * {@link #settle(TokenUsage, BigDecimal)} without blocking; completes when recorded.
	 */
	public Mono<Void> settleAsync(TokenUsage usage, @Nullable BigDecimal cost) {
		return Mono.defer(() -> markSettled()
				? enforcer().settleAsync(plan(), usage.totalTokens(), enforcer().actualNanos(plan(), usage, cost))
				: Mono.empty());
	}

	/** Gives the reservation back: the round used nothing (or reported nothing). */
	public void release() {
		settle(TokenUsage.ZERO, BigDecimal.ZERO);
	}

	/** {@link #release()} without blocking. */
	public Mono<Void> releaseAsync() {
		return settleAsync(TokenUsage.ZERO, BigDecimal.ZERO);
	}

	/**
	 * Whether a stream may go on after {@code completionTokens} output tokens: call it as
	 * chunks arrive. Never blocks: while the stream stays within its reservation it
	 * compares two numbers; past it, it extends the reservation (in memory at once; in a
	 * remote store asynchronously, the answer arriving with a later call).
	 * @param completionTokens output tokens the stream has produced so far (counted or
	 * estimated)
	 * @return {@code null} to go on, or the exception to stop the stream with (a budget
	 * whose {@link StreamPolicy} is {@code STOP} has no room left, or the store failed
	 * and the policy is fail-closed)
	 */
	public @Nullable BudgetException check(long completionTokens) {
		BudgetException stop = this.stopped;
		if (stop != null || completionTokens <= this.headroom) {
			return stop;
		}
		synchronized (this) {
			if (this.settled || this.extending || this.stopped != null) {
				return this.stopped;
			}
			extend(completionTokens);
			return this.stopped;
		}
	}

	// Under the lock: reserve what the stream needs past its reservation, plus a step.
	private void extend(long completionTokens) {
		Plan plan = plan();
		BudgetEnforcer enforcer = enforcer();
		List<Entry> local = new ArrayList<>();
		List<Charge> localCharges = new ArrayList<>();
		List<Charge> localExact = new ArrayList<>();
		List<Entry> shared = new ArrayList<>();
		List<Charge> sharedCharges = new ArrayList<>();
		List<Charge> sharedExact = new ArrayList<>();
		long used = plan.request.promptTokens() + completionTokens;
		for (Entry entry : this.entries) {
			long need = used - entry.reservedTokens;
			if (need <= 0 || !entry.counted) {
				continue;
			}
			boolean enforce = entry.budget.streamPolicy() == StreamPolicy.STOP;
			long step = Math.max(need, STREAM_STEP_TOKENS);
			Charge charge = entry.charge.withEnforce(enforce)
				.withAmounts(step, BudgetEnforcer.estimateNanos(plan.price, 0, step));
			Charge exact = charge.withAmounts(need, BudgetEnforcer.estimateNanos(plan.price, 0, need));
			if (entry.budget.scope() == Scope.REQUEST) {
				local.add(entry);
				localCharges.add(charge);
				localExact.add(exact);
			}
			else {
				shared.add(entry);
				sharedCharges.add(charge);
				sharedExact.add(exact);
			}
		}
		if (!local.isEmpty()) {
			Outcome outcome = enforcer.extendLocal(plan, localCharges);
			List<Charge> granted = localCharges;
			if (outcome != null && !outcome.admitted()) {
				outcome = enforcer.extendLocal(plan, localExact);
				granted = localExact;
			}
			if (outcome != null && !outcome.admitted()) {
				stop(local, localExact, outcome);
				return;
			}
			grant(local, granted);
		}
		if (!shared.isEmpty()) {
			this.extending = true;
			enforcer.extendShared(sharedCharges)
				.flatMap(outcome -> outcome.admitted() ? Mono.just(new Extension(outcome, sharedCharges))
						: enforcer.extendShared(sharedExact).map(exact -> new Extension(exact, sharedExact)))
				.subscribe(extension -> extended(shared, sharedExact, extension), this::extensionFailed);
		}
		this.headroom = computeHeadroom();
	}

	private void extended(List<Entry> shared, List<Charge> exact, Extension extension) {
		synchronized (this) {
			this.extending = false;
			if (!extension.outcome.admitted()) {
				stop(shared, exact, extension.outcome);
				return;
			}
			if (this.settled) {
				// The stream ended while the store answered: the settlement did not see
				// this extension, so give it back.
				enforcer().giveBack(plan(), shared, extension.charges);
				return;
			}
			grant(shared, extension.charges);
			enforcer().reportSpent(shared, extension.outcome.spent());
			this.headroom = computeHeadroom();
		}
	}

	private void extensionFailed(Throwable error) {
		synchronized (this) {
			this.extending = false;
			enforcer().storeFailedDuringStream(error);
			if (enforcer().failurePolicy() == FailurePolicy.FAIL_CLOSED) {
				this.stopped = new BudgetUnavailableException(this.entries.get(0).budget.id(), error);
			}
			else {
				// Fail-open: the rest of the stream runs uncounted until it settles.
				this.headroom = Long.MAX_VALUE;
			}
		}
	}

	private void grant(List<Entry> entries, List<Charge> charges) {
		for (int i = 0; i < entries.size(); i++) {
			entries.get(i).reserve(charges.get(i).tokens(), charges.get(i).nanos());
		}
	}

	private void stop(List<Entry> entries, List<Charge> exact, Outcome outcome) {
		Entry entry = entries.get(outcome.denied());
		Charge charge = exact.get(outcome.denied());
		this.stopped = enforcer().rejected(entry, outcome.spent().get(outcome.denied()), outcome, charge.tokens(),
				charge.nanos(), enforcer().clock().instant(), true);
	}

	// Only admissions that hold budgets get here: the unlimited one has no plan.
	private BudgetEnforcer enforcer() {
		return java.util.Objects.requireNonNull(this.enforcer, "an admission without budgets");
	}

	private Plan plan() {
		return java.util.Objects.requireNonNull(this.plan, "an admission without budgets");
	}

	private long computeHeadroom() {
		if (this.plan == null) {
			return Long.MAX_VALUE;
		}
		long headroom = Long.MAX_VALUE;
		for (Entry entry : this.entries) {
			if (entry.counted) {
				headroom = Math.min(headroom, entry.reservedTokens - this.plan.request.promptTokens());
			}
		}
		return headroom;
	}

	private synchronized boolean markSettled() {
		if (this.settled || this.plan == null) {
			return false;
		}
		this.settled = true;
		return true;
	}

	private record Extension(Outcome outcome, List<Charge> charges) {
	}

}
