package dev.callbacks.budget.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.callbacks.budget.BudgetStore;
import reactor.core.publisher.Mono;

import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.Assert;

/**
 * Budget counts in Redis, shared by every instance of a cluster. Each reservation is one
 * Lua script over all its counters, so it is atomic across instances; counters are hashes
 * of time buckets that expire with their period. Non-blocking (Lettuce's reactive API);
 * each call is bounded by a timeout, after which the enforcer applies its failure policy.
 * <p>
 * Periods are computed from the instances' clocks, which should agree (NTP): a skew
 * shifts when a period rolls over by as much. Keys are
 * {@code <prefix><budget>/<period>/<scope key>}; on Redis Cluster, give the prefix a hash
 * tag (for example {@code {budgets}:}) so that all counters of a round are in one slot.
 */
public final class RedisBudgetStore implements BudgetStore {

	private static final RedisScript<List> RESERVE = RedisScript
		.of(new ClassPathResource("dev/callbacks/budget/redis/reserve.lua"), List.class);

	private static final RedisScript<List> ADJUST = RedisScript
		.of(new ClassPathResource("dev/callbacks/budget/redis/adjust.lua"), List.class);

	private final ReactiveStringRedisTemplate redis;

	private final String keyPrefix;

	private final Duration timeout;

	private final Clock clock;

	/**
	 * @param connectionFactory Lettuce's connection factory
	 * @param keyPrefix what every key starts with
	 * @param timeout the longest a call may take
	 * @param clock the clock periods are computed with (only for key expiry here)
	 */
	public RedisBudgetStore(ReactiveRedisConnectionFactory connectionFactory, String keyPrefix, Duration timeout,
			Clock clock) {
		Assert.notNull(connectionFactory, "connectionFactory must not be null");
		Assert.notNull(keyPrefix, "keyPrefix must not be null");
		Assert.isTrue(timeout != null && !timeout.isNegative() && !timeout.isZero(), "timeout must be positive");
		Assert.notNull(clock, "clock must not be null");
		this.redis = new ReactiveStringRedisTemplate(connectionFactory);
		this.keyPrefix = keyPrefix;
		this.timeout = timeout;
		this.clock = clock;
	}

	@Override
	public Outcome reserve(List<Charge> charges) {
		// Bounded by the timeout inside.
		return java.util.Objects.requireNonNull(reserveAsync(charges).block(), "Redis gave no answer");
	}

	@Override
	public List<Spent> adjust(List<Charge> charges) {
		return java.util.Objects.requireNonNull(adjustAsync(charges).block(), "Redis gave no answer");
	}

	@Override
	public Mono<Outcome> reserveAsync(List<Charge> charges) {
		List<String> keys = new ArrayList<>(charges.size());
		List<String> args = new ArrayList<>(1 + charges.size() * 8);
		args.add(Long.toString(this.clock.millis()));
		for (Charge charge : charges) {
			keys.add(this.keyPrefix + charge.counter());
			args.add(Long.toString(charge.bucket()));
			args.add(Integer.toString(charge.span()));
			args.add(Long.toString(charge.expiresAtMillis()));
			args.add(Long.toString(charge.tokens()));
			args.add(Long.toString(charge.nanos()));
			args.add(Long.toString(limit(charge.limitTokens())));
			args.add(Long.toString(limit(charge.limitNanos())));
			args.add(charge.enforce() ? "1" : "0");
		}
		return run(RESERVE, keys, args).map(reply -> outcome(reply, charges.size()));
	}

	@Override
	public Mono<List<Spent>> adjustAsync(List<Charge> charges) {
		List<String> keys = new ArrayList<>(charges.size());
		List<String> args = new ArrayList<>(charges.size() * 4);
		for (Charge charge : charges) {
			keys.add(this.keyPrefix + charge.counter());
			args.add(Long.toString(charge.bucket()));
			args.add(Integer.toString(charge.span()));
			args.add(Long.toString(charge.tokens()));
			args.add(Long.toString(charge.nanos()));
		}
		return run(ADJUST, keys, args).map(reply -> {
			List<Spent> spent = new ArrayList<>(charges.size());
			for (int i = 0; i < charges.size(); i++) {
				spent.add(new Spent(reply.get(2 * i), reply.get(2 * i + 1)));
			}
			return spent;
		});
	}

	// The script's reply as numbers. The template emits a MULTI reply as its elements
	// or as one list, depending on the driver: both are accepted.
	private Mono<List<Long>> run(RedisScript<List> script, List<String> keys, List<String> args) {
		return this.redis.execute(script, keys, args)
			.collectList()
			.map(RedisBudgetStore::numbers)
			.timeout(this.timeout);
	}

	private static List<Long> numbers(List<?> reply) {
		List<Long> numbers = new ArrayList<>();
		for (Object element : reply) {
			if (element instanceof List<?> list) {
				numbers.addAll(numbers(list));
			}
			else {
				numbers.add(((Number) element).longValue());
			}
		}
		return numbers;
	}

	private static Outcome outcome(List<Long> reply, int charges) {
		List<Spent> spent = new ArrayList<>(charges);
		if (reply.get(0) == 1) {
			for (int i = 0; i < charges; i++) {
				spent.add(new Spent(reply.get(1 + 2 * i), reply.get(2 + 2 * i)));
			}
			return Outcome.admitted(spent);
		}
		int denied = reply.get(1).intValue() - 1;
		for (int i = 0; i < charges; i++) {
			spent.add((i == denied) ? new Spent(reply.get(2), reply.get(3)) : Spent.ZERO);
		}
		List<Bucket> buckets = new ArrayList<>();
		for (int i = 4; i + 2 < reply.size(); i += 3) {
			buckets.add(new Bucket(reply.get(i), reply.get(i + 1), reply.get(i + 2)));
		}
		return new Outcome(denied, spent, buckets);
	}

	private static long limit(long limit) {
		return (limit == Long.MAX_VALUE) ? -1 : limit;
	}

}
