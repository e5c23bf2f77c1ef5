package dev.callbacks.autoconfigure;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import dev.callbacks.budget.Budget;
import dev.callbacks.budget.BudgetEnforcer;
import dev.callbacks.budget.BudgetListener;
import dev.callbacks.budget.BudgetStore;
import dev.callbacks.budget.InMemoryBudgetStore;
import dev.callbacks.budget.Period;
import dev.callbacks.budget.Scope;
import dev.callbacks.budget.Window;
import dev.callbacks.budget.redis.RedisBudgetStore;
import dev.callbacks.metrics.MicrometerBudgetListener;
import dev.callbacks.usage.ModelPrices;
import dev.callbacks.web.BudgetExceptionHandler;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.http.ProblemDetail;

/**
 * Budgets: a {@link BudgetEnforcer} with the budgets of {@code callbacks.budgets.*}, its
 * {@link BudgetStore} (in memory, or Redis with
 * {@code callbacks.budget-store.type=redis}), the {@code llm.budget.*} meters and the
 * HTTP 429 problem details. Periods roll over by the application's {@link Clock} bean if
 * it has one.
 * <p>
 * After {@link CallbacksAutoConfiguration} (the model prices), Spring Data Redis (the
 * connection factory) and the meter registry's auto-configurations: the conditions on
 * their beans are evaluated when this configuration is, and would not match before
 * (Spring AI issue #5444 is the same trap).
 */
@AutoConfiguration(after = CallbacksAutoConfiguration.class, afterName = {
		"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
		"org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "callbacks.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CallbacksBudgetProperties.class)
public final class CallbacksBudgetAutoConfiguration {

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

	@Bean
	@ConditionalOnMissingBean
	BudgetEnforcer budgetEnforcer(CallbacksBudgetProperties properties, ObjectProvider<BudgetStore> store,
			ObjectProvider<ModelPrices> prices, ObjectProvider<Clock> clock, ObjectProvider<BudgetListener> listeners) {
		List<Budget> budgets = budgets(properties.getBudgets());
		CallbacksBudgetProperties.Store storeProperties = properties.getBudgetStore();
		Duration idle = storeProperties.getRequestIdleTimeout();
		if (idle == null || idle.isNegative() || idle.isZero()) {
			throw new InvalidConfigurationPropertyValueException("callbacks.budget-store.request-idle-timeout", idle,
					"must be a positive duration");
		}
		BudgetStore budgetStore = store.getIfAvailable();
		if (budgetStore == null) {
			throw new InvalidConfigurationPropertyValueException("callbacks.budget-store.type", "redis",
					"needs Spring Data Redis with Lettuce and a ReactiveRedisConnectionFactory bean "
							+ "(add spring-boot-starter-data-redis and set spring.data.redis.*)");
		}
		return BudgetEnforcer.builder()
			.budgets(budgets)
			.store(budgetStore)
			.prices(prices.getIfAvailable(ModelPrices::defaults))
			.clock(clock.getIfUnique(Clock::systemUTC))
			.listeners(listeners.orderedStream().toList())
			.failurePolicy(storeProperties.getOnFailure())
			.requestIdleTimeout(idle)
			.build();
	}

	@Bean
	@ConditionalOnMissingBean(BudgetStore.class)
	@ConditionalOnProperty(name = "callbacks.budget-store.type", havingValue = "memory", matchIfMissing = true)
	InMemoryBudgetStore inMemoryBudgetStore(ObjectProvider<Clock> clock) {
		return new InMemoryBudgetStore(clock.getIfUnique(Clock::systemUTC));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ ReactiveRedisConnectionFactory.class, RedisClient.class })
	@ConditionalOnProperty(name = "callbacks.budget-store.type", havingValue = "redis")
	static class RedisBudgetStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean(BudgetStore.class)
		@ConditionalOnBean(ReactiveRedisConnectionFactory.class)
		RedisBudgetStore redisBudgetStore(CallbacksBudgetProperties properties,
				ReactiveRedisConnectionFactory connectionFactory, ObjectProvider<Clock> clock) {
			CallbacksBudgetProperties.Redis redis = properties.getBudgetStore().getRedis();
			Duration timeout = redis.getTimeout();
			if (timeout == null || timeout.isNegative() || timeout.isZero()) {
				throw new InvalidConfigurationPropertyValueException("callbacks.budget-store.redis.timeout", timeout,
						"must be a positive duration");
			}
			if (redis.getKeyPrefix() == null) {
				throw new InvalidConfigurationPropertyValueException("callbacks.budget-store.redis.key-prefix", null,
						"must be set (it may be empty)");
			}
			return new RedisBudgetStore(connectionFactory, redis.getKeyPrefix(), timeout,
					clock.getIfUnique(Clock::systemUTC));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	@ConditionalOnBooleanProperty(name = "callbacks.metrics.enabled", matchIfMissing = true)
	static class BudgetMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		MicrometerBudgetListener micrometerBudgetListener(MeterRegistry meterRegistry) {
			return new MicrometerBudgetListener(meterRegistry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication
	@ConditionalOnClass(ProblemDetail.class)
	static class BudgetWebConfiguration {

		@Bean
		@ConditionalOnMissingBean
		BudgetExceptionHandler budgetExceptionHandler() {
			return new BudgetExceptionHandler();
		}

	}

	static List<Budget> budgets(Map<String, CallbacksBudgetProperties.BudgetSpec> specs) {
		List<Budget> budgets = new ArrayList<>(specs.size());
		specs.forEach((name, spec) -> budgets.add(budget(name, spec)));
		return budgets;
	}

	private static Budget budget(String name, CallbacksBudgetProperties.BudgetSpec spec) {
		String prefix = "callbacks.budgets." + name + ".";
		if (!NAME.matcher(name).matches()) {
			throw new InvalidConfigurationPropertyValueException("callbacks.budgets", name,
					"a budget name must be letters, digits, '.', '_' and '-'");
		}
		Scope scope = spec.getScope();
		if (scope == null) {
			throw new InvalidConfigurationPropertyValueException(prefix + "scope", null,
					"required: request, conversation, user, tenant, client or global");
		}
		if (spec.getLimitTokens() == null && spec.getLimitUsd() == null) {
			throw new InvalidConfigurationPropertyValueException(prefix + "limit-tokens", null,
					"a budget needs limit-tokens, limit-usd or both");
		}
		if (spec.getLimitTokens() != null && spec.getLimitTokens() <= 0) {
			throw new InvalidConfigurationPropertyValueException(prefix + "limit-tokens", spec.getLimitTokens(),
					"must be positive");
		}
		if (spec.getLimitUsd() != null && spec.getLimitUsd().signum() <= 0) {
			throw new InvalidConfigurationPropertyValueException(prefix + "limit-usd", spec.getLimitUsd(),
					"must be positive");
		}
		if (spec.getDefaultMaxOutputTokens() <= 0) {
			throw new InvalidConfigurationPropertyValueException(prefix + "default-max-output-tokens",
					spec.getDefaultMaxOutputTokens(), "must be positive");
		}
		ZoneId zone;
		try {
			zone = ZoneId.of(spec.getZone());
		}
		catch (DateTimeException | NullPointerException ex) {
			throw new InvalidConfigurationPropertyValueException(prefix + "zone", spec.getZone(),
					"must be a time zone id such as UTC or Europe/Paris");
		}
		Budget.Limits limits = Budget.limits(spec.getLimitTokens(), spec.getLimitUsd());
		Budget budget;
		if (scope == Scope.REQUEST) {
			if (spec.getPeriod() != null && spec.getPeriod() != Period.REQUEST) {
				throw new InvalidConfigurationPropertyValueException(prefix + "period", spec.getPeriod(),
						"a request budget lasts as long as its request: leave period unset");
			}
			if (spec.getWindow() != Window.CALENDAR) {
				throw new InvalidConfigurationPropertyValueException(prefix + "window", spec.getWindow(),
						"a request budget lasts as long as its request: leave window unset");
			}
			budget = limits.perRequest();
		}
		else {
			if (spec.getPeriod() == null || spec.getPeriod() == Period.REQUEST) {
				throw new InvalidConfigurationPropertyValueException(prefix + "period", spec.getPeriod(),
						"required for scope " + scope.name().toLowerCase(Locale.ROOT)
								+ ": minute, hour, day, week or month");
			}
			budget = limits.per(scope).every(spec.getPeriod()).window(spec.getWindow()).zone(zone);
		}
		return budget.forClients(spec.getClients())
			.defaultMaxOutputTokens(spec.getDefaultMaxOutputTokens())
			.onStream(spec.getStream())
			.named(name);
	}

}
