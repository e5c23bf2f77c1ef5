package dev.callbacks.budget;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.callbacks.autoconfigure.CallbacksBudgetAutoConfiguration;
import dev.callbacks.budget.BudgetStore.Charge;
import dev.callbacks.budget.redis.RedisBudgetStore;
import dev.callbacks.event.RunIdentity;
import dev.callbacks.metrics.BudgetMeters;
import dev.callbacks.test.MutableClock;
import dev.callbacks.test.RedisServer;
import dev.callbacks.usage.TokenUsage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Two application contexts — two instances of an application — sharing budgets through a
 * real Redis server (Debian's redis-server, started on a free loopback port).
 */
@Timeout(120)
class RedisBudgetClusterTests {

	private static RedisServer redis;

	private final MutableClock clock = MutableClock.at("2026-03-10T10:15:30Z");

	@BeforeAll
	static void startRedis() throws Exception {
		redis = RedisServer.startOrSkip();
	}

	@AfterAll
	static void stopRedis() throws Exception {
		if (redis != null) {
			redis.close();
		}
	}

	private ApplicationContextRunner instance(RedisServer server, TestInfo test, String... properties) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					DataRedisReactiveAutoConfiguration.class, CallbacksBudgetAutoConfiguration.class))
			.withBean(MutableClock.class, () -> this.clock)
			.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + server.port(),
					"callbacks.budget-store.type=redis", "callbacks.budget-store.redis.timeout=300ms",
					"callbacks.budget-store.redis.key-prefix=" + test.getTestMethod().get().getName() + ":")
			.withPropertyValues(properties);
	}

	private static RoundRequest round(int i, long prompt, int maxOutput) {
		return new RoundRequest("shop", new RunIdentity("user-" + (i % 3), "acme", null), "r" + i, "m", prompt,
				maxOutput);
	}

	private static long spent(AssertableApplicationContext context, Budget budget, String key, Instant now) {
		Slot slot = Slot.of(budget, now);
		return context.getBean(RedisBudgetStore.class)
			.reserve(List.of(new Charge(BudgetEnforcer.counter(budget, key), slot.bucket(), slot.span(),
					slot.expiresAtMillis(), 0, 0, Long.MAX_VALUE, Long.MAX_VALUE, false)))
			.spent()
			.get(0)
			.tokens();
	}

	@Test
	void twoInstancesNeverReserveMoreThanTheirSharedLimit(TestInfo test) {
		ApplicationContextRunner runner = instance(redis, test, "callbacks.budgets.tenant-daily.scope=tenant",
				"callbacks.budgets.tenant-daily.period=day", "callbacks.budgets.tenant-daily.limit-tokens=10000");
		runner.run(one -> runner.run(two -> {
			assertThat(one.getBean(BudgetStore.class)).isInstanceOf(RedisBudgetStore.class);
			BudgetEnforcer first = one.getBean(BudgetEnforcer.class);
			BudgetEnforcer second = two.getBean(BudgetEnforcer.class);
			assertThat(first).isNotSameAs(second);
			// Half of the rounds on each instance, interleaved, blocking and
			// non-blocking.
			Concurrent.Result result = Concurrent.admit(200, i -> {
				BudgetEnforcer enforcer = (i % 2 == 0) ? first : second;
				RoundRequest round = round(i, 50 + (i % 7) * 20, 100);
				return (i % 4 < 2) ? enforcer.admit(round) : enforcer.admitAsync(round).block(Duration.ofSeconds(10));
			});
			assertThat(result.unavailable()).isEmpty();
			long reserved = result.admitted().stream().mapToLong(Concurrent.Admitted::estimate).sum();
			assertThat(reserved).isLessThanOrEqualTo(10_000).isGreaterThan(10_000 - 270);
			Budget budget = first.budgets().get(0);
			assertThat(spent(one, budget, "acme", this.clock.instant())).isEqualTo(reserved);
			assertThat(result.rejected()).isNotEmpty().allSatisfy(ex -> {
				assertThat(ex.budget()).isEqualTo("tenant-daily");
				assertThat(ex.spentTokens() + ex.requestedTokens()).isGreaterThan(10_000);
				assertThat(ex.resetsAt()).isEqualTo(Instant.parse("2026-03-11T00:00:00Z"));
				assertThat(ex.retryAfterSeconds()).isEqualTo(49_470);
			});
			// Both instances count their rejections in their own meters.
			double rejections = rejections(one, "tenant-daily") + rejections(two, "tenant-daily");
			assertThat(rejections).isEqualTo(result.rejected().size());

			// Settled with less than reserved, the room comes back for both instances.
			result.admitted().forEach(a -> a.admission().settle(TokenUsage.of(10, 10), null));
			assertThat(spent(two, budget, "acme", this.clock.instant())).isEqualTo(20L * result.admitted().size());
		}));
	}

	@Test
	void periodsRollOverAndRollingWindowsSayWhenWithTheSharedCounts(TestInfo test) {
		ApplicationContextRunner runner = instance(redis, test, "callbacks.budgets.user-hourly.scope=user",
				"callbacks.budgets.user-hourly.period=hour", "callbacks.budgets.user-hourly.window=rolling",
				"callbacks.budgets.user-hourly.limit-tokens=1000", "callbacks.budgets.global-daily.scope=global",
				"callbacks.budgets.global-daily.period=day", "callbacks.budgets.global-daily.limit-tokens=5000");
		runner.run(one -> runner.run(two -> {
			BudgetEnforcer first = one.getBean(BudgetEnforcer.class);
			BudgetEnforcer second = two.getBean(BudgetEnforcer.class);
			RunIdentity alice = new RunIdentity("alice", null, null);
			this.clock.set("2026-03-10T10:00:30Z");
			first.admit(new RoundRequest("shop", alice, "r1", "m", 600, 0)).settle(TokenUsage.of(600, 0), null);
			this.clock.set("2026-03-10T10:10:00Z");
			second.admit(new RoundRequest("shop", alice, "r2", "m", 300, 0)).settle(TokenUsage.of(300, 0), null);
			this.clock.set("2026-03-10T10:20:30Z");
			assertThatExceptionOfType(BudgetExceededException.class)
				.isThrownBy(() -> first.admit(new RoundRequest("shop", alice, "r3", "m", 200, 0)))
				.satisfies(ex -> {
					assertThat(ex.budget()).isEqualTo("user-hourly");
					assertThat(ex.spentTokens()).isEqualTo(900);
					assertThat(ex.resetsAt()).isEqualTo(Instant.parse("2026-03-10T11:01:00Z"));
					assertThat(ex.retryAfterSeconds()).isEqualTo(40 * 60 + 30);
				});
			this.clock.set("2026-03-10T11:00:59.999Z");
			assertThatExceptionOfType(BudgetExceededException.class)
				.isThrownBy(() -> second.admit(new RoundRequest("shop", alice, "r3", "m", 200, 0)));
			this.clock.set("2026-03-10T11:01:00Z");
			second.admit(new RoundRequest("shop", alice, "r3", "m", 200, 0));

			// The global day: 1,100 spent so far; 3,900 more fill it until midnight.
			first.admit(new RoundRequest("shop", RunIdentity.NONE, "r4", "m", 3_900, 0));
			assertThatExceptionOfType(BudgetExceededException.class)
				.isThrownBy(() -> second.admit(new RoundRequest("shop", RunIdentity.NONE, "r5", "m", 1, 0)))
				.satisfies(ex -> assertThat(ex.resetsAt()).isEqualTo(Instant.parse("2026-03-11T00:00:00Z")));
			this.clock.set("2026-03-11T00:00:00Z");
			second.admit(new RoundRequest("shop", RunIdentity.NONE, "r5", "m", 5_000, 0));
			// The remaining-tokens gauge of the global budget, as each instance last saw
			// it.
			assertThat(one.getBean(MeterRegistry.class)
				.get(BudgetMeters.REMAINING_TOKENS)
				.tag(BudgetMeters.TAG_BUDGET, "global-daily")
				.tag(BudgetMeters.TAG_KEY, BudgetMeters.KEY_GLOBAL)
				.gauge()
				.value()).isEqualTo(0);
			assertThat(two.getBean(MeterRegistry.class)
				.get(BudgetMeters.REMAINING_TOKENS)
				.tag(BudgetMeters.TAG_BUDGET, "global-daily")
				.gauge()
				.value()).isEqualTo(0);
		}));
	}

	@Test
	void redisStoppedMidLoadFailsOpenAndNothingElseFails(TestInfo test) throws Exception {
		outage(test, "fail-open");
	}

	@Test
	void redisStoppedMidLoadFailsClosedAndNothingElseFails(TestInfo test) throws Exception {
		outage(test, "fail-closed");
	}

	private void outage(TestInfo test, String policy) throws Exception {
		try (RedisServer server = RedisServer.startOrSkip()) {
			ApplicationContextRunner runner = instance(server, test, "callbacks.budget-store.on-failure=" + policy,
					"callbacks.budgets.global.scope=global", "callbacks.budgets.global.period=day",
					"callbacks.budgets.global.limit-tokens=1000000");
			runner.run(one -> runner.run(two -> {
				BudgetEnforcer first = one.getBean(BudgetEnforcer.class);
				BudgetEnforcer second = two.getBean(BudgetEnforcer.class);
				AtomicInteger completed = new AtomicInteger();
				CountDownLatch halfway = new CountDownLatch(1);
				CountDownLatch down = new CountDownLatch(1);
				AtomicBoolean stopped = new AtomicBoolean();
				List<Throwable> unexpected = new ArrayList<>();
				ConcurrentHashMap<Integer, Boolean> startedAfterStop = new ConcurrentHashMap<>();
				Thread stopper = new Thread(() -> {
					try {
						if (halfway.await(60, TimeUnit.SECONDS)) {
							server.stop();
							stopped.set(true);
							down.countDown();
						}
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				});
				stopper.start();
				// Rounds 0-199 run while Redis is up and while it goes down (it is
				// stopped when
				// 100 are done); rounds 200-399 start once it is down.
				Concurrent.Result result = Concurrent.admit(400, i -> {
					if (i >= 200 && !down.await(60, TimeUnit.SECONDS)) {
						throw new IllegalStateException("Redis was not stopped");
					}
					startedAfterStop.put(i, stopped.get());
					BudgetEnforcer enforcer = (i % 2 == 0) ? first : second;
					try {
						Admission admission = (i % 4 < 2) ? enforcer.admit(round(i, 100, 100))
								: enforcer.admitAsync(round(i, 100, 100)).block(Duration.ofSeconds(10));
						// Settling never throws, whether the store is there or not.
						if (i % 3 == 0) {
							admission.settle(TokenUsage.of(100, 50), null);
						}
						else {
							admission.settleAsync(TokenUsage.of(100, 50), null).block(Duration.ofSeconds(10));
						}
						return admission;
					}
					catch (BudgetException ex) {
						throw ex;
					}
					catch (Throwable ex) {
						synchronized (unexpected) {
							unexpected.add(ex);
						}
						throw ex;
					}
					finally {
						if (completed.incrementAndGet() == 100) {
							halfway.countDown();
						}
					}
				});
				stopper.join(TimeUnit.SECONDS.toMillis(60));
				assertThat(stopped).isTrue();
				assertThat(unexpected).isEmpty();
				assertThat(result.rejected()).isEmpty();
				long afterStop = startedAfterStop.values().stream().filter(Boolean::booleanValue).count();
				assertThat(afterStop).isGreaterThanOrEqualTo(200);
				double admittedOpen = failures(one, "reserve", BudgetMeters.OUTCOME_ADMITTED)
						+ failures(two, "reserve", BudgetMeters.OUTCOME_ADMITTED);
				double rejectedClosed = failures(one, "reserve", BudgetMeters.OUTCOME_REJECTED)
						+ failures(two, "reserve", BudgetMeters.OUTCOME_REJECTED);
				if (policy.equals("fail-open")) {
					assertThat(result.admitted()).hasSize(400);
					assertThat(result.unavailable()).isEmpty();
					assertThat(admittedOpen).isGreaterThanOrEqualTo(afterStop);
					assertThat(rejectedClosed).isZero();
				}
				else {
					assertThat(result.unavailable()).hasSizeGreaterThanOrEqualTo((int) afterStop);
					assertThat(result.admitted().size() + result.unavailable().size()).isEqualTo(400);
					assertThat(rejectedClosed).isEqualTo(result.unavailable().size());
					assertThat(admittedOpen).isZero();
					assertThat(result.unavailable()).allSatisfy(ex -> assertThat(ex.budget()).isEqualTo("global"));
				}
				// Back up: the instances reconnect and count again.
				server.start();
				Budget budget = first.budgets().get(0);
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
				boolean counted = false;
				while (!counted && System.nanoTime() < deadline) {
					try {
						first.admit(round(1, 100, 100));
						counted = spent(one, budget, BudgetEnforcer.GLOBAL_KEY, this.clock.instant()) > 0;
					}
					catch (RuntimeException ex) {
						// Still reconnecting (fail-closed rejects meanwhile).
					}
					if (!counted) {
						Thread.sleep(100);
					}
				}
				assertThat(counted).as("counting again after Redis came back").isTrue();
			}));
		}
	}

	private static double rejections(AssertableApplicationContext context, String budget) {
		var counter = context.getBean(MeterRegistry.class)
			.find(BudgetMeters.REJECTIONS)
			.tag(BudgetMeters.TAG_BUDGET, budget)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static double failures(AssertableApplicationContext context, String operation, String outcome) {
		var counter = context.getBean(MeterRegistry.class)
			.find(BudgetMeters.STORE_FAILURES)
			.tag(BudgetMeters.TAG_OPERATION, operation)
			.tag(BudgetMeters.TAG_OUTCOME, outcome)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

}
