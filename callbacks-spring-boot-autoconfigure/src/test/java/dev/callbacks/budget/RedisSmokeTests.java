package dev.callbacks.budget;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.callbacks.budget.BudgetStore.Charge;
import dev.callbacks.budget.redis.RedisBudgetStore;
import dev.callbacks.test.RedisServer;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

class RedisSmokeTests {

	@Test
	void smoke() throws Exception {
		try (RedisServer server = RedisServer.startOrSkip()) {
			LettuceConnectionFactory factory = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration("127.0.0.1", server.port()));
			factory.afterPropertiesSet();
			factory.start();
			RedisBudgetStore store = new RedisBudgetStore(factory, "t:", Duration.ofSeconds(2), Clock.systemUTC());
			long exp = System.currentTimeMillis() + 60000;
			Charge c = new Charge("a", 5, 3, exp, 100, 1000, 250, Long.MAX_VALUE, true);
			System.out.println(store.reserve(List.of(c)));
			System.out.println(store.reserve(List.of(c)));
			System.out.println(store.reserve(List.of(c)));
			System.out.println(store.adjust(List.of(c.withAmounts(-50, 0))));
			System.out.println(store.reserve(List.of(c, new Charge("b", 5, 1, exp, 1, 1, 1, 1, true))));
			factory.destroy();
		}
	}

}
