package dev.callbacks.autoconfigure;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import dev.callbacks.budget.Budget;
import dev.callbacks.budget.BudgetEnforcer;
import dev.callbacks.budget.BudgetExceededException;
import dev.callbacks.budget.BudgetStore;
import dev.callbacks.budget.InMemoryBudgetStore;
import dev.callbacks.budget.Period;
import dev.callbacks.budget.RoundRequest;
import dev.callbacks.budget.Scope;
import dev.callbacks.budget.StreamPolicy;
import dev.callbacks.budget.Window;
import dev.callbacks.budget.redis.RedisBudgetStore;
import dev.callbacks.event.RunIdentity;
import dev.callbacks.metrics.BudgetMeters;
import dev.callbacks.metrics.MicrometerBudgetListener;
import dev.callbacks.test.MutableClock;
import dev.callbacks.web.BudgetExceptionHandler;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.http.ProblemDetail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CallbacksBudgetAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(CallbacksAutoConfiguration.class, CallbacksBudgetAutoConfiguration.class));

	@Test
	void defaultsToAnEnforcerWithoutBudgetsOverAMemoryStore() {
		this.contextRunner.run(context -> {
			assertThat(context).hasSingleBean(BudgetEnforcer.class)
				.hasSingleBean(InMemoryBudgetStore.class)
				.doesNotHaveBean(RedisBudgetStore.class)
				.doesNotHaveBean(MicrometerBudgetListener.class)
				.doesNotHaveBean(BudgetExceptionHandler.class);
			assertThat(context.getBean(BudgetEnforcer.class).isEmpty()).isTrue();
		});
	}

	@Test
	void budgetsComeFromProperties() {
		this.contextRunner.withPropertyValues("callbacks.budgets.tenant-daily.scope=tenant",
				"callbacks.budgets.tenant-daily.period=day", "callbacks.budgets.tenant-daily.limit-usd=5",
				"callbacks.budgets.tenant-daily.zone=Europe/Paris",
				"callbacks.budgets.tenant-daily.clients=shop,support", "callbacks.budgets.tenant-daily.stream=finish",
				"callbacks.budgets.per-request.scope=request", "callbacks.budgets.per-request.limit-tokens=20000",
				"callbacks.budgets.per-request.default-max-output-tokens=1024",
				"callbacks.budgets.user-hourly.scope=user", "callbacks.budgets.user-hourly.period=hour",
				"callbacks.budgets.user-hourly.window=rolling", "callbacks.budgets.user-hourly.limit-tokens=100000",
				"callbacks.budgets.user-hourly.limit-usd=0.50")
			.run(context -> {
				List<Budget> budgets = context.getBean(BudgetEnforcer.class).budgets();
				assertThat(budgets).containsExactly(
						Budget.usd("5")
							.per(Scope.TENANT)
							.daily()
							.zone(ZoneId.of("Europe/Paris"))
							.forClients("shop", "support")
							.onStream(StreamPolicy.FINISH)
							.named("tenant-daily"),
						Budget.tokens(20_000).perRequest().defaultMaxOutputTokens(1024).named("per-request"),
						Budget.tokens(100_000).andUsd("0.50").per(Scope.USER).hourly().rolling().named("user-hourly"));
				assertThat(budgets.get(2).window()).isEqualTo(Window.ROLLING);
				assertThat(budgets.get(2).period()).isEqualTo(Period.HOUR);
				assertThat(budgets.get(0).limitUsd()).isEqualByComparingTo(new BigDecimal("5"));
			});
	}

	@Test
	void configuredBudgetsHoldWithoutHandlersOrMeters() {
		// No handler, no MeterRegistry, no tracker: the callbacks would step aside, but
		// not from a budget.
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(
					org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration.class,
					org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration.class))
			.withBean(dev.callbacks.test.ScriptedChatModel.class,
					() -> new dev.callbacks.test.ScriptedChatModel().respondWith(
							(prompt) -> dev.callbacks.test.ScriptedChatModel.Reply.text("Roses.").usage(40, 20)))
			.withPropertyValues("callbacks.budgets.global.scope=global", "callbacks.budgets.global.period=day",
					"callbacks.budgets.global.limit-tokens=100",
					"callbacks.budgets.global.default-max-output-tokens=20")
			.run((context) -> {
				org.springframework.ai.chat.client.ChatClient client = context
					.getBean(org.springframework.ai.chat.client.ChatClient.Builder.class)
					.build();
				client.prompt("Roses?").call().content();
				client.prompt("Roses?").call().content();
				assertThatExceptionOfType(BudgetExceededException.class)
					.isThrownBy(() -> client.prompt("Roses?").call().content());
				assertThat(context.getBean(dev.callbacks.test.ScriptedChatModel.class).prompts()).hasSize(2);
			});
	}

	@Test
	void periodsRollOverByTheApplicationsClock() {
		MutableClock clock = MutableClock.at("2026-03-10T23:59:00Z");
		this.contextRunner.withBean(MutableClock.class, () -> clock)
			.withPropertyValues("callbacks.budgets.global.scope=global", "callbacks.budgets.global.period=day",
					"callbacks.budgets.global.limit-tokens=100")
			.run(context -> {
				BudgetEnforcer enforcer = context.getBean(BudgetEnforcer.class);
				RoundRequest round = new RoundRequest("shop", RunIdentity.NONE, "r", "m", 100, 0);
				enforcer.admit(round);
				assertThatExceptionOfType(BudgetExceededException.class).isThrownBy(() -> enforcer.admit(round))
					.satisfies(ex -> assertThat(ex.resetsAt()).isEqualTo(Instant.parse("2026-03-11T00:00:00Z")));
				clock.set("2026-03-11T00:00:00Z");
				enforcer.admit(round);
			});
	}

	@Test
	void backsOffFromAUserStoreAndEnforcer() {
		InMemoryBudgetStore store = new InMemoryBudgetStore();
		this.contextRunner.withBean("myStore", BudgetStore.class, () -> store)
			.run(context -> assertThat(context).getBean(BudgetStore.class).isSameAs(store));
		BudgetEnforcer enforcer = BudgetEnforcer.builder().build();
		this.contextRunner.withBean("myEnforcer", BudgetEnforcer.class, () -> enforcer)
			.run(context -> assertThat(context).getBean(BudgetEnforcer.class).isSameAs(enforcer));
	}

	@Test
	void metersWithTheAutoConfiguredRegistry() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
			.withPropertyValues("callbacks.budgets.global.scope=global", "callbacks.budgets.global.period=day",
					"callbacks.budgets.global.limit-tokens=100")
			.run(context -> {
				assertThat(context).hasSingleBean(MicrometerBudgetListener.class);
				BudgetEnforcer enforcer = context.getBean(BudgetEnforcer.class);
				RoundRequest round = new RoundRequest("shop", RunIdentity.NONE, "r", "m", 60, 0);
				enforcer.admit(round);
				assertThatExceptionOfType(BudgetExceededException.class).isThrownBy(() -> enforcer.admit(round));
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get(BudgetMeters.REJECTIONS)
					.tag(BudgetMeters.TAG_BUDGET, "global")
					.tag(BudgetMeters.TAG_PHASE, BudgetMeters.PHASE_ADMISSION)
					.counter()
					.count()).isEqualTo(1);
				assertThat(registry.get(BudgetMeters.REMAINING_TOKENS)
					.tag(BudgetMeters.TAG_BUDGET, "global")
					.tag(BudgetMeters.TAG_KEY, BudgetMeters.KEY_GLOBAL)
					.gauge()
					.value()).isEqualTo(40);
			});
	}

	@Test
	void noMetersWhenSwitchedOff() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
			.withPropertyValues("callbacks.metrics.enabled=false")
			.run(context -> assertThat(context).doesNotHaveBean(MicrometerBudgetListener.class));
	}

	@Test
	void webApplicationsGetTheProblemDetailsHandler() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CallbacksBudgetAutoConfiguration.class))
			.run(context -> assertThat(context).hasSingleBean(BudgetExceptionHandler.class));
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CallbacksBudgetAutoConfiguration.class))
			.run(context -> assertThat(context).hasSingleBean(BudgetExceptionHandler.class));
	}

	@Test
	void worksWithoutMicrometerAndSpringWeb() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CallbacksBudgetAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class, ProblemDetail.class))
			.run(context -> assertThat(context).hasSingleBean(BudgetEnforcer.class)
				.doesNotHaveBean(MicrometerBudgetListener.class)
				.doesNotHaveBean(BudgetExceptionHandler.class));
	}

	@Test
	void offWhenCallbacksAreDisabled() {
		this.contextRunner.withPropertyValues("callbacks.enabled=false")
			.run(context -> assertThat(context).doesNotHaveBean(BudgetEnforcer.class));
	}

	@Test
	void withoutRedisOnTheClassPathMemoryStillWorks() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis", "io.lettuce"))
			.withPropertyValues("callbacks.budgets.global.scope=global", "callbacks.budgets.global.period=day",
					"callbacks.budgets.global.limit-tokens=100")
			.run(context -> assertThat(context).hasSingleBean(InMemoryBudgetStore.class)
				.hasSingleBean(BudgetEnforcer.class));
	}

	@Test
	void redisStoreWithoutRedisOnTheClassPathFailsNamingTheProperty() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis", "io.lettuce"))
			.withPropertyValues("callbacks.budget-store.type=redis")
			.run(context -> assertFailure(context, "callbacks.budget-store.type", "spring-boot-starter-data-redis"));
	}

	@Test
	void redisStoreWithoutAConnectionFactoryFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("callbacks.budget-store.type=redis")
			.run(context -> assertFailure(context, "callbacks.budget-store.type", "ReactiveRedisConnectionFactory"));
	}

	@Test
	void redisStoreOverTheAutoConfiguredConnectionFactory() {
		// Lettuce connects lazily: no server is needed to build the beans.
		this.contextRunner
			.withConfiguration(
					AutoConfigurations.of(DataRedisAutoConfiguration.class, DataRedisReactiveAutoConfiguration.class))
			.withPropertyValues("callbacks.budget-store.type=redis")
			.run(context -> {
				assertThat(context).hasSingleBean(RedisBudgetStore.class)
					.hasSingleBean(ReactiveRedisConnectionFactory.class)
					.doesNotHaveBean(InMemoryBudgetStore.class);
			});
		this.contextRunner
			.withConfiguration(
					AutoConfigurations.of(DataRedisAutoConfiguration.class, DataRedisReactiveAutoConfiguration.class))
			.withPropertyValues("callbacks.budget-store.type=redis", "callbacks.budget-store.redis.timeout=0ms")
			.run(context -> assertFailure(context, "callbacks.budget-store.redis.timeout", "positive"));
	}

	@Test
	void invalidBudgetsFailNamingTheProperty() {
		Map<String, String[]> cases = Map.ofEntries(
				Map.entry("callbacks.budgets.b.scope", new String[] { "callbacks.budgets.b.limit-tokens=10" }),
				Map.entry("callbacks.budgets.b.limit-tokens",
						new String[] { "callbacks.budgets.b.scope=global", "callbacks.budgets.b.period=day" }),
				Map.entry("callbacks.budgets.b.limit-usd",
						new String[] { "callbacks.budgets.b.scope=global", "callbacks.budgets.b.period=day",
								"callbacks.budgets.b.limit-usd=0" }),
				Map.entry("callbacks.budgets.b.period",
						new String[] { "callbacks.budgets.b.scope=tenant", "callbacks.budgets.b.limit-tokens=10" }),
				Map.entry("callbacks.budgets.b.zone",
						new String[] { "callbacks.budgets.b.scope=global", "callbacks.budgets.b.period=day",
								"callbacks.budgets.b.limit-tokens=10", "callbacks.budgets.b.zone=Mars/Olympus" }),
				Map.entry("callbacks.budgets.b.window",
						new String[] { "callbacks.budgets.b.scope=request", "callbacks.budgets.b.window=rolling",
								"callbacks.budgets.b.limit-tokens=10" }),
				Map.entry("callbacks.budgets.b.default-max-output-tokens",
						new String[] { "callbacks.budgets.b.scope=request", "callbacks.budgets.b.limit-tokens=10",
								"callbacks.budgets.b.default-max-output-tokens=0" }),
				Map.entry("callbacks.budget-store.request-idle-timeout",
						new String[] { "callbacks.budget-store.request-idle-timeout=0s" }));
		cases.forEach((property, values) -> this.contextRunner.withPropertyValues(values)
			.run(context -> assertFailure(context, property, "")));
		// Negative token limit, and a request budget with a period.
		this.contextRunner
			.withPropertyValues("callbacks.budgets.b.scope=global", "callbacks.budgets.b.period=day",
					"callbacks.budgets.b.limit-tokens=-5")
			.run(context -> assertFailure(context, "callbacks.budgets.b.limit-tokens", "must be positive"));
		this.contextRunner
			.withPropertyValues("callbacks.budgets.b.scope=request", "callbacks.budgets.b.period=day",
					"callbacks.budgets.b.limit-tokens=5")
			.run(context -> assertFailure(context, "callbacks.budgets.b.period", "leave period unset"));
		this.contextRunner
			.withPropertyValues("callbacks.budgets.[a b].scope=global", "callbacks.budgets.[a b].period=day",
					"callbacks.budgets.[a b].limit-tokens=5")
			.run(context -> assertFailure(context, "callbacks.budgets", "a budget name must be"));
	}

	@Test
	void unknownValuesFailBindingNamingTheProperty() {
		this.contextRunner.withPropertyValues("callbacks.budgets.b.scope=galaxy").run(context -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure())
				.hasStackTraceContaining("Failed to bind properties under 'callbacks.budgets.b.scope'");
		});
		this.contextRunner.withPropertyValues("callbacks.budget-store.on-failure=maybe").run(context -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure())
				.hasStackTraceContaining("Failed to bind properties under 'callbacks.budget-store.on-failure'");
		});
	}

	private static void assertFailure(AssertableApplicationContext context, String property, String text) {
		assertThat(context).hasFailed();
		assertThat(context.getStartupFailure()).rootCause()
			.isInstanceOf(InvalidConfigurationPropertyValueException.class)
			.hasMessageContaining("Property " + property + " with value")
			.hasMessageContaining(text);
	}

}
