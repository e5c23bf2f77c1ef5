package dev.callbacks.budget;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.callbacks.budget.BudgetStore.Charge;
import dev.callbacks.budget.BudgetStore.Outcome;
import dev.callbacks.budget.BudgetStore.Spent;
import dev.callbacks.event.RunIdentity;
import dev.callbacks.test.MutableClock;
import dev.callbacks.usage.ModelPrices;
import dev.callbacks.usage.TokenUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The enforcer over the in-memory store: reservations, settlement, periods, streams,
 * failures. Time is a {@link MutableClock}.
 */
@Timeout(60)
class BudgetEnforcerTests {

	private static final RunIdentity ACME_ALICE = new RunIdentity("alice", "acme", "c-1");

	private final MutableClock clock = MutableClock.at("2026-03-10T10:15:30Z");

	private final InMemoryBudgetStore store = new InMemoryBudgetStore(this.clock);

	private BudgetEnforcer enforcer(Budget... budgets) {
		return BudgetEnforcer.builder().budgets(List.of(budgets)).store(this.store).clock(this.clock).build();
	}

	private static RoundRequest round(String requestKey, long prompt, Integer maxOutput) {
		return new RoundRequest("shop", ACME_ALICE, requestKey, "gpt-4o-mini", prompt, maxOutput);
	}

	// What a counter holds now, read with an unenforced empty charge.
	private Spent spent(Budget budget, String scopeKey) {
		Slot slot = Slot.of(budget, this.clock.instant());
		Outcome outcome = this.store.reserve(List.of(new Charge(BudgetEnforcer.counter(budget, scopeKey), slot.bucket(),
				slot.span(), slot.expiresAtMillis(), 0, 0, Long.MAX_VALUE, Long.MAX_VALUE, false)));
		return outcome.spent().get(0);
	}

	@Test
	void aRoundThatFitsIsAdmittedAndOneThatDoesNotIsRejectedNamingTheBudget() {
		Budget budget = Budget.tokens(1_000).per(Scope.TENANT).daily().named("tenant-daily");
		BudgetEnforcer enforcer = enforcer(budget);

		Admission first = enforcer.admit(round("r1", 300, 400));
		assertThat(first.budgets()).containsExactly(budget);
		assertThat(spent(budget, "acme").tokens()).isEqualTo(700);

		assertThatExceptionOfType(BudgetExceededException.class).isThrownBy(() -> enforcer.admit(round("r2", 200, 200)))
			.satisfies(ex -> {
				assertThat(ex.budget()).isEqualTo("tenant-daily");
				assertThat(ex.scope()).isEqualTo(Scope.TENANT);
				assertThat(ex.scopeKey()).isEqualTo("acme");
				assertThat(ex.limitTokens()).isEqualTo(1_000);
				assertThat(ex.limitUsd()).isNull();
				assertThat(ex.spentTokens()).isEqualTo(700);
				assertThat(ex.requestedTokens()).isEqualTo(400);
				assertThat(ex.resetsAt()).isEqualTo(Instant.parse("2026-03-11T00:00:00Z"));
				assertThat(ex.retryAfter()).isEqualTo(Duration.ofHours(13).plusMinutes(44).plusSeconds(30));
				assertThat(ex.retryAfterSeconds()).isEqualTo(49_470);
				assertThat(ex.duringStream()).isFalse();
				assertThat(ex).hasMessage("Budget 'tenant-daily' (tenant 'acme', calendar day) exceeded: 700 of 1,000 "
						+ "tokens spent or reserved, and this round may use up to 400 tokens; it resets at "
						+ "2026-03-11T00:00:00Z (in 49470 s)");
				assertThat(ex.detail()).doesNotContain("acme");
			});
		// The rejected round reserved nothing.
		assertThat(spent(budget, "acme").tokens()).isEqualTo(700);
	}

	@Test
	void settlingReplacesTheReservationWithTheUsage() {
		Budget budget = Budget.tokens(1_000).per(Scope.USER).hourly();
		BudgetEnforcer enforcer = enforcer(budget);
		Admission admission = enforcer.admit(round("r1", 300, 600));
		assertThat(spent(budget, "alice").tokens()).isEqualTo(900);

		admission.settle(TokenUsage.of(310, 40), null);
		assertThat(spent(budget, "alice").tokens()).isEqualTo(350);
		// Exactly once.
		admission.settle(TokenUsage.of(999, 999), null);
		admission.release();
		assertThat(spent(budget, "alice").tokens()).isEqualTo(350);

		Admission failed = enforcer.admit(round("r2", 300, 300));
		failed.release();
		assertThat(spent(budget, "alice").tokens()).isEqualTo(350);
	}

	@Test
	void concurrentAdmissionsNeverReserveMoreThanTheLimit() throws Exception {
		Budget budget = Budget.tokens(10_000).per(Scope.TENANT).daily().named("tenant-daily");
		BudgetEnforcer enforcer = enforcer(budget);
		Concurrent.Result result = Concurrent.admit(200, i -> enforcer.admit(round("r" + i, 50 + (i % 7) * 20, 100)));

		long reserved = result.admitted().stream().mapToLong(Concurrent.Admitted::estimate).sum();
		assertThat(reserved).isLessThanOrEqualTo(10_000);
		assertThat(spent(budget, "acme").tokens()).isEqualTo(reserved);
		assertThat(result.admitted().size() + result.rejected().size()).isEqualTo(200);
		assertThat(result.rejected()).isNotEmpty().allSatisfy(ex -> {
			// Each rejection was justified when it was made, and says when the day ends.
			assertThat(ex.spentTokens() + ex.requestedTokens()).isGreaterThan(10_000);
			assertThat(ex.resetsAt()).isEqualTo(Instant.parse("2026-03-11T00:00:00Z"));
			assertThat(ex.retryAfterSeconds()).isEqualTo(49_470);
		});
		// Every estimate is at most 270 tokens: a rejection means less than that was
		// left.
		assertThat(10_000 - reserved).isLessThan(270);
	}

	@Test
	void withoutMaxOutputTokensTheDefaultIsReservedAndUsageCanOvershoot() throws Exception {
		// No max output tokens: each round reserves prompt + the budget's default (100 +
		// 400); the model then writes 600 tokens. The limit holds for reservations, but
		// the
		// settled usage overshoots by what each admitted round wrote beyond its default.
		Budget budget = Budget.tokens(20_000).per(Scope.TENANT).daily().defaultMaxOutputTokens(400);
		BudgetEnforcer enforcer = enforcer(budget);
		Concurrent.Result result = Concurrent.admit(200, i -> enforcer.admit(round("r" + i, 100, null)));
		assertThat(result.admitted()).hasSize(40);
		result.admitted().forEach(a -> a.admission().settle(TokenUsage.of(100, 600), null));

		long settled = spent(budget, "acme").tokens();
		assertThat(settled).isEqualTo(40 * 700);
		long overshoot = settled - 20_000;
		assertThat(overshoot).isEqualTo(40L * (600 - 400));
		System.out.printf(
				"Estimate error without max output tokens: %d admitted rounds, limit 20,000, settled %,d "
						+ "(%,d over, %.0f%%)%n",
				result.admitted().size(), settled, overshoot, 100.0 * overshoot / 20_000);
	}

	@Test
	void streamsCheckedAsTheyGoStopAtTheLimit() throws Exception {
		// The same rounds as above, streamed with a check per token: past its reservation
		// a stream must reserve more before it goes on, and the budget is full, so every
		// stream stops at its first token past the default.
		Budget budget = Budget.tokens(20_000).per(Scope.TENANT).daily().defaultMaxOutputTokens(400);
		BudgetEnforcer enforcer = enforcer(budget);
		Concurrent.Result admitted = Concurrent.admit(200, i -> enforcer.admit(round("r" + i, 100, null)));
		assertThat(admitted.admitted()).hasSize(40);
		AtomicInteger stopped = new AtomicInteger();
		Concurrent.admit(40, i -> {
			Admission admission = admitted.admitted().get(i).admission();
			int produced = 0;
			for (int k = 1; k <= 600; k++) {
				produced = k;
				BudgetException stop = admission.check(k);
				if (stop != null) {
					assertThat(stop).isInstanceOfSatisfying(BudgetExceededException.class,
							ex -> assertThat(ex.duringStream()).isTrue());
					stopped.incrementAndGet();
					break;
				}
			}
			// A stopped stream is billed for what it produced, the checked token
			// included.
			admission.settle(TokenUsage.of(100, produced), null);
			return admission;
		});
		long settled = spent(budget, "acme").tokens();
		assertThat(stopped.get()).isEqualTo(40);
		// The overshoot is the one token per stream that arrived before the check said
		// stop: 40 × (100 + 401).
		assertThat(settled).isEqualTo(20_040);
		System.out.printf("Streams checked per token: 40 admitted, %d stopped, settled %,d of 20,000%n", stopped.get(),
				settled);
	}

	@Test
	void finishPolicyLetsTheStreamRunAndCountsIt() {
		Budget budget = Budget.tokens(1_000)
			.per(Scope.TENANT)
			.daily()
			.defaultMaxOutputTokens(400)
			.onStream(StreamPolicy.FINISH);
		BudgetEnforcer enforcer = enforcer(budget);
		Admission admission = enforcer.admit(round("r1", 100, null));
		for (int k = 1; k <= 1_500; k++) {
			assertThat(admission.check(k)).isNull();
		}
		// The overrun was reserved as it went, past the limit.
		assertThat(spent(budget, "acme").tokens()).isGreaterThanOrEqualTo(1_600);
		admission.settle(TokenUsage.of(100, 1_500), null);
		assertThat(spent(budget, "acme").tokens()).isEqualTo(1_600);
	}

	@Test
	void checkDoesNotCallTheStoreWithinTheReservation() {
		AtomicInteger calls = new AtomicInteger();
		BudgetStore counting = new CountingStore(this.store, calls);
		BudgetEnforcer enforcer = BudgetEnforcer.builder()
			.budgets(List.of(Budget.tokens(10_000).per(Scope.GLOBAL).hourly()))
			.store(counting)
			.clock(this.clock)
			.build();
		Admission admission = enforcer.admit(round("r1", 100, 500));
		assertThat(calls.get()).isEqualTo(1);
		for (int k = 1; k <= 500; k++) {
			assertThat(admission.check(k)).isNull();
		}
		assertThat(calls.get()).isEqualTo(1);
		// Past it: one call per step of 64 tokens.
		for (int k = 501; k <= 628; k++) {
			assertThat(admission.check(k)).isNull();
		}
		assertThat(calls.get()).isEqualTo(3);
	}

	@Test
	void aStreamOverARemoteStoreIsStoppedWhenTheAnswerArrives() {
		// A store that answers when the test says so, as Redis does some time later.
		Sinks.One<Outcome> answer = Sinks.one();
		Budget budget = Budget.tokens(10_000).per(Scope.GLOBAL).hourly();
		BudgetStore remote = new DelegatingStore(this.store) {
			int calls;

			@Override
			public Mono<Outcome> reserveAsync(List<Charge> charges) {
				return (++this.calls == 1) ? super.reserveAsync(charges) : answer.asMono();
			}
		};
		BudgetEnforcer enforcer = BudgetEnforcer.builder()
			.budgets(List.of(budget))
			.store(remote)
			.clock(this.clock)
			.build();
		Admission admission = enforcer.admitAsync(round("r1", 100, null)).block(Duration.ofSeconds(5));
		assertThat(admission).isNotNull();
		// Within the reservation (100 + the default 4,096): no store call.
		assertThat(admission.check(4_096)).isNull();
		// Past it: an extension is asked for, and the stream goes on while it is pending.
		assertThat(admission.check(4_097)).isNull();
		assertThat(admission.check(4_098)).isNull();
		answer.tryEmitValue(new Outcome(0, List.of(new Spent(10_000, 0)), List.of()));
		assertThat(admission.check(4_099)).isInstanceOfSatisfying(BudgetExceededException.class,
				ex -> assertThat(ex.duringStream()).isTrue());
	}

	@Test
	void aRollingWindowForgetsSpendingOnePeriodAfterItAndSaysWhen() {
		this.clock.set("2026-03-10T10:00:30Z");
		Budget budget = Budget.tokens(1_000).per(Scope.USER).hourly().rolling().named("user-hourly");
		BudgetEnforcer enforcer = enforcer(budget);
		enforcer.admit(round("r1", 600, 0)).settle(TokenUsage.of(600, 0), null);
		this.clock.set("2026-03-10T10:10:00Z");
		enforcer.admit(round("r2", 300, 0)).settle(TokenUsage.of(300, 0), null);
		this.clock.set("2026-03-10T10:20:30Z");

		// 900 counted; 200 more needs the 600 of 10:00 to drop out: its one-minute bucket
		// (10:00-10:01) counts for 61 minutes, until 11:01.
		assertThatExceptionOfType(BudgetExceededException.class).isThrownBy(() -> enforcer.admit(round("r3", 200, 0)))
			.satisfies(ex -> {
				assertThat(ex.spentTokens()).isEqualTo(900);
				assertThat(ex.resetsAt()).isEqualTo(Instant.parse("2026-03-10T11:01:00Z"));
				assertThat(ex.retryAfterSeconds()).isEqualTo(40 * 60 + 30);
				assertThat(ex.getMessage()).contains("(user 'alice', rolling hour)");
			});
		this.clock.set("2026-03-10T11:00:59.999Z");
		assertThatExceptionOfType(BudgetExceededException.class).isThrownBy(() -> enforcer.admit(round("r3", 200, 0)));
		this.clock.set("2026-03-10T11:01:00Z");
		assertThat(enforcer.admit(round("r3", 200, 0)).isEmpty()).isFalse();
		assertThat(spent(budget, "alice").tokens()).isEqualTo(500);
	}

	@Test
	void aRollingWindowWaitsOnlyForWhatMustDropOut() {
		this.clock.set("2026-03-10T10:00:00Z");
		Budget budget = Budget.tokens(1_000).per(Scope.USER).perMinute().rolling();
		BudgetEnforcer enforcer = enforcer(budget);
		// One-second buckets: 100 tokens at each of 10:00:00 .. 10:00:09.
		for (int s = 0; s < 10; s++) {
			this.clock.set(Instant.parse("2026-03-10T10:00:00Z").plusSeconds(s));
			enforcer.admit(round("r" + s, 100, 0));
		}
		this.clock.set("2026-03-10T10:00:30Z");
		// 250 more needs 250 to drop: the buckets of 10:00:00, :01 and :02 (expiring 61 s
		// after their start), so 10:01:03.
		assertThatExceptionOfType(BudgetExceededException.class).isThrownBy(() -> enforcer.admit(round("x", 250, 0)))
			.satisfies(ex -> assertThat(ex.resetsAt()).isEqualTo(Instant.parse("2026-03-10T10:01:03Z")));
		this.clock.set("2026-03-10T10:01:03Z");
		enforcer.admit(round("x", 250, 0));
	}

	@Test
	void calendarPeriodsRollOverInTheirZone() {
		Budget daily = Budget.tokens(100)
			.per(Scope.TENANT)
			.daily()
			.zone(ZoneId.of("Europe/Paris"))
			.named("paris-daily");
		Budget monthly = Budget.tokens(1_000).per(Scope.USER).monthly().named("monthly");
		BudgetEnforcer enforcer = enforcer(daily, monthly);

		// 23:59:59 in Paris (UTC+1 in January) is 22:59:59 UTC.
		this.clock.set("2026-01-31T22:59:59Z");
		enforcer.admit(round("r1", 100, 0));
		assertThatExceptionOfType(BudgetExceededException.class).isThrownBy(() -> enforcer.admit(round("r2", 1, 0)))
			.satisfies(ex -> {
				assertThat(ex.budget()).isEqualTo("paris-daily");
				assertThat(ex.resetsAt()).isEqualTo(Instant.parse("2026-01-31T23:00:00Z"));
				assertThat(ex.retryAfterSeconds()).isEqualTo(1);
			});
		this.clock.set("2026-01-31T23:00:00Z");
		enforcer.admit(round("r2", 100, 0));
		// The monthly budget counted both days of the same UTC month.
		assertThat(spent(monthly, "alice").tokens()).isEqualTo(200);
		this.clock.set("2026-02-01T00:00:00Z");
		assertThat(spent(monthly, "alice").tokens()).isZero();

		// A day of 23 hours: 29 March 2026 in Paris starts at 23:00 UTC on the 28th and
		// ends at 22:00 UTC on the 29th.
		this.clock.set("2026-03-29T12:00:00Z");
		enforcer.admit(round("r3", 100, 0));
		assertThatExceptionOfType(BudgetExceededException.class).isThrownBy(() -> enforcer.admit(round("r4", 1, 0)))
			.satisfies(ex -> assertThat(ex.resetsAt()).isEqualTo(Instant.parse("2026-03-29T22:00:00Z")));
	}

	@Test
	void weeksStartOnMonday() {
		Budget weekly = Budget.tokens(100).per(Scope.GLOBAL).weekly();
		BudgetEnforcer enforcer = enforcer(weekly);
		this.clock.set("2026-03-15T23:00:00Z"); // a Sunday
		enforcer.admit(round("r1", 100, 0));
		assertThatExceptionOfType(BudgetExceededException.class).isThrownBy(() -> enforcer.admit(round("r2", 1, 0)))
			.satisfies(ex -> {
				assertThat(ex.resetsAt()).isEqualTo(Instant.parse("2026-03-16T00:00:00Z"));
				assertThat(ex.scopeKey()).isNull();
			});
	}

	@Test
	void aRequestBudgetCountsEveryRoundOfItsRequestOnly() {
		Budget perRequest = Budget.tokens(1_000).perRequest();
		BudgetEnforcer enforcer = enforcer();
		RoundRequest round = new RoundRequest("shop", ACME_ALICE, "chain-1", "m", 200, 100, List.of(perRequest));
		enforcer.admit(round).settle(TokenUsage.of(200, 100), null);
		enforcer.admit(round).settle(TokenUsage.of(300, 100), null);
		enforcer.admit(round).settle(TokenUsage.of(200, 50), null);
		// 950 used; a fourth round of 300 would make 1,250.
		assertThatExceptionOfType(BudgetExceededException.class).isThrownBy(() -> enforcer.admit(round))
			.satisfies(ex -> {
				assertThat(ex.budget()).isEqualTo("1000-tokens-per-request");
				assertThat(ex.scopeKey()).isEqualTo("chain-1");
				assertThat(ex.spentTokens()).isEqualTo(950);
				assertThat(ex.resetsAt()).isNull();
				assertThat(ex.retryAfter()).isNull();
				assertThat(ex.getMessage()).endsWith("a request budget does not reset");
			});
		// Another request starts afresh.
		enforcer.admit(new RoundRequest("shop", ACME_ALICE, "chain-2", "m", 200, 100, List.of(perRequest)));
		assertThat(enforcer.requestsHeld()).isEqualTo(2);
		enforcer.requestEnded("chain-1");
		enforcer.requestEnded("chain-2");
		assertThat(enforcer.requestsHeld()).isZero();
	}

	@Test
	void idleRequestsAreForgotten() {
		BudgetEnforcer enforcer = BudgetEnforcer.builder()
			.clock(this.clock)
			.store(this.store)
			.requestIdleTimeout(Duration.ofMinutes(10))
			.build();
		Budget perRequest = Budget.tokens(1_000).perRequest();
		for (int i = 0; i < 100; i++) {
			enforcer.admit(new RoundRequest("shop", ACME_ALICE, "chain-" + i, "m", 1, 1, List.of(perRequest)));
		}
		assertThat(enforcer.requestsHeld()).isEqualTo(100);
		this.clock.advance(Duration.ofMinutes(10));
		enforcer.admit(new RoundRequest("shop", ACME_ALICE, "last", "m", 1, 1, List.of(perRequest)));
		assertThat(enforcer.requestsHeld()).isEqualTo(1);
	}

	@Test
	void aReservationIsAllOrNothingAcrossBudgets() {
		Budget tenant = Budget.tokens(10_000).per(Scope.TENANT).daily();
		Budget user = Budget.tokens(1_000).per(Scope.USER).daily();
		Budget perRequest = Budget.tokens(2_000).perRequest();
		BudgetEnforcer enforcer = enforcer(tenant, user);
		// 1,500 fits the tenant and the request, not the user.
		RoundRequest round = new RoundRequest("shop", ACME_ALICE, "chain-1", "m", 1_200, 300, List.of(perRequest));
		assertThatExceptionOfType(BudgetExceededException.class).isThrownBy(() -> enforcer.admit(round))
			.satisfies(ex -> assertThat(ex.scope()).isEqualTo(Scope.USER));
		assertThat(spent(tenant, "acme").tokens()).isZero();
		assertThat(spent(user, "alice").tokens()).isZero();
		// The per-request reservation, made first, was given back too: 2,000 more fits.
		RoundRequest noUser = new RoundRequest("shop", new RunIdentity(null, "acme", null), "chain-1", "m", 1_700, 300,
				List.of(perRequest));
		assertThat(enforcer.admit(noUser).budgets()).containsExactly(perRequest, tenant);
	}

	@Test
	void budgetsApplyToTheirClientsAndToRoundsThatHaveTheirKey() {
		Budget shopOnly = Budget.tokens(100).per(Scope.GLOBAL).daily().forClients("shop");
		Budget perConversation = Budget.tokens(100).per(Scope.CONVERSATION).daily();
		BudgetEnforcer enforcer = enforcer(shopOnly, perConversation);
		RoundRequest other = new RoundRequest("summary", RunIdentity.NONE, "r1", "m", 500, 0);
		assertThat(enforcer.admit(other)).isSameAs(Admission.NONE);
		RoundRequest anonymousShop = new RoundRequest("shop", RunIdentity.NONE, "r2", "m", 50, 0);
		assertThat(enforcer.admit(anonymousShop).budgets()).containsExactly(shopOnly);
	}

	@Test
	void theSameBudgetGivenTwiceIsCountedOnce() {
		Budget configured = Budget.tokens(1_000).per(Scope.TENANT).daily().named("tenant");
		BudgetEnforcer enforcer = enforcer(configured);
		RoundRequest round = new RoundRequest("shop", ACME_ALICE, "r1", "m", 300, 0, List.of(configured));
		assertThat(enforcer.admit(round).budgets()).containsExactly(configured);
		assertThat(spent(configured, "acme").tokens()).isEqualTo(300);
	}

	@Test
	void usdBudgetsCountTheEstimatedCost() {
		ModelPrices prices = ModelPrices
			.of(Map.of("shop-llm", new ModelPrices.Price(new BigDecimal("1.00"), new BigDecimal("2.00"), null)));
		Budget budget = Budget.usd("0.01").per(Scope.TENANT).monthly().named("tenant-monthly-usd");
		BudgetEnforcer enforcer = BudgetEnforcer.builder()
			.budgets(List.of(budget))
			.store(this.store)
			.prices(prices)
			.clock(this.clock)
			.build();
		RoundRequest round = new RoundRequest("shop", ACME_ALICE, "r", "shop-llm", 1_000, 1_000);
		// $0.001 + $0.002 per round.
		enforcer.admit(round);
		enforcer.admit(round);
		Admission third = enforcer.admit(round);
		assertThatExceptionOfType(BudgetExceededException.class).isThrownBy(() -> enforcer.admit(round))
			.satisfies(ex -> {
				assertThat(ex.spentUsd()).isEqualByComparingTo("0.009");
				assertThat(ex.requestedUsd()).isEqualByComparingTo("0.003");
				assertThat(ex.limitUsd()).isEqualByComparingTo("0.01");
				assertThat(ex.getMessage()).contains("$0.009 of $0.01 spent or reserved")
					.contains("resets at 2026-04-01T00:00:00Z");
			});
		// Settled with the provider's cost, the round cost less and room comes back.
		third.settle(TokenUsage.of(1_000, 10), new BigDecimal("0.0009"));
		assertThat(spent(budget, "acme").nanos()).isEqualTo(6_900_000);
		enforcer.admit(round);
	}

	@Test
	void expiredCountersAreEvicted() {
		Budget budget = Budget.tokens(1_000).per(Scope.USER).perMinute();
		BudgetEnforcer enforcer = enforcer(budget);
		for (int i = 0; i < 1_000; i++) {
			enforcer.admit(new RoundRequest("shop", new RunIdentity("user-" + i, null, null), "r", "m", 1, 1));
		}
		assertThat(this.store.size()).isEqualTo(1_000);
		this.clock.advance(Duration.ofMinutes(1));
		enforcer.admit(new RoundRequest("shop", new RunIdentity("late", null, null), "r", "m", 1, 1));
		assertThat(this.store.size()).isEqualTo(1);
	}

	@Test
	void aFailingStoreFollowsThePolicy() {
		Budget shared = Budget.tokens(1_000).per(Scope.TENANT).daily();
		Budget perRequest = Budget.tokens(1_000).perRequest();
		BudgetStore broken = new DelegatingStore(this.store) {
			@Override
			public Outcome reserve(List<Charge> charges) {
				throw new IllegalStateException("store down");
			}

			@Override
			public Mono<Outcome> reserveAsync(List<Charge> charges) {
				return Mono.error(new IllegalStateException("store down"));
			}
		};
		List<String> failures = new CopyOnWriteArrayList<>();
		BudgetListener listener = new BudgetListener() {
			@Override
			public void onStoreFailure(String operation, boolean rejected, Throwable error) {
				failures.add(operation + ":" + rejected);
			}
		};
		BudgetEnforcer open = BudgetEnforcer.builder()
			.budgets(List.of(shared))
			.store(broken)
			.clock(this.clock)
			.listeners(List.of(listener))
			.build();
		RoundRequest round = new RoundRequest("shop", ACME_ALICE, "r1", "m", 100, 100, List.of(perRequest));
		Admission admitted = open.admit(round);
		admitted.settle(TokenUsage.of(100, 100), null);
		StepVerifier.create(open.admitAsync(round)).expectNextCount(1).verifyComplete();

		BudgetEnforcer closed = BudgetEnforcer.builder()
			.budgets(List.of(shared))
			.store(broken)
			.clock(this.clock)
			.listeners(List.of(listener))
			.failurePolicy(FailurePolicy.FAIL_CLOSED)
			.build();
		assertThatExceptionOfType(BudgetUnavailableException.class).isThrownBy(() -> closed.admit(round))
			.satisfies(ex -> assertThat(ex.getCause()).hasMessage("store down"));
		StepVerifier.create(closed.admitAsync(round))
			.expectError(BudgetUnavailableException.class)
			.verify(Duration.ofSeconds(5));
		assertThat(failures).containsExactly("reserve:false", "reserve:false", "reserve:true", "reserve:true");
		// The rejected rounds gave back their per-request reservation: only the settled
		// 200 and the async fail-open round's 200 are counted.
		RoundRequest probe = new RoundRequest("shop", ACME_ALICE, "r1", "m", 600, 0, List.of(perRequest));
		open.requestEnded("r1");
		assertThat(open.admit(probe).isEmpty()).isFalse();
	}

	@Test
	void admitAsyncRejectsWithTheException() {
		Budget budget = Budget.tokens(100).per(Scope.TENANT).daily();
		BudgetEnforcer enforcer = enforcer(budget);
		StepVerifier.create(enforcer.admitAsync(round("r1", 100, 0))).expectNextCount(1).verifyComplete();
		StepVerifier.create(enforcer.admitAsync(round("r2", 1, 0)))
			.expectError(BudgetExceededException.class)
			.verify(Duration.ofSeconds(5));
		StepVerifier.create(enforcer.admitAsync(round("r2", 1, 0)).flatMap(a -> a.settleAsync(TokenUsage.ZERO, null)))
			.expectError(BudgetExceededException.class)
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void listenersHearRejectionsSettlementsAndSpending() {
		Budget global = Budget.tokens(1_000).per(Scope.GLOBAL).daily().named("global");
		List<String> heard = new ArrayList<>();
		BudgetListener listener = new BudgetListener() {
			@Override
			public void onRejected(Budget budget, BudgetExceededException exception) {
				heard.add("rejected " + budget.id());
			}

			@Override
			public void onSettled(Budget budget, long tokens, BigDecimal usd) {
				heard.add("settled " + budget.id() + " " + tokens);
			}

			@Override
			public void onSpent(Budget budget, String scopeKey, long tokens, BigDecimal usd) {
				heard.add("spent " + budget.id() + " " + scopeKey + " " + tokens);
			}
		};
		BudgetEnforcer enforcer = BudgetEnforcer.builder()
			.budgets(List.of(global))
			.store(this.store)
			.clock(this.clock)
			.listeners(List.of(listener))
			.build();
		enforcer.admit(round("r1", 500, 300)).settle(TokenUsage.of(500, 100), null);
		assertThatExceptionOfType(BudgetExceededException.class).isThrownBy(() -> enforcer.admit(round("r2", 500, 0)));
		assertThat(heard).containsExactly("spent global null 800", "settled global 600", "spent global null 600",
				"rejected global");
	}

	/** Delegates everything to another store. */
	static class DelegatingStore implements BudgetStore {

		private final BudgetStore delegate;

		DelegatingStore(BudgetStore delegate) {
			this.delegate = delegate;
		}

		@Override
		public Outcome reserve(List<Charge> charges) {
			return this.delegate.reserve(charges);
		}

		@Override
		public List<Spent> adjust(List<Charge> charges) {
			return this.delegate.adjust(charges);
		}

	}

	static final class CountingStore extends DelegatingStore {

		private final AtomicInteger calls;

		CountingStore(BudgetStore delegate, AtomicInteger calls) {
			super(delegate);
			this.calls = calls;
		}

		@Override
		public Outcome reserve(List<Charge> charges) {
			this.calls.incrementAndGet();
			return super.reserve(charges);
		}

	}

}
