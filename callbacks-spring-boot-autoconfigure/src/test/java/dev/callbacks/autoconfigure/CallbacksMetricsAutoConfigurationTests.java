package dev.callbacks.autoconfigure;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.callbacks.CallbackManager;
import dev.callbacks.LlmRunRecord;
import dev.callbacks.event.RunIdentity;
import dev.callbacks.usage.TokenUsage;
import dev.callbacks.metrics.GenAiMeters;
import dev.callbacks.metrics.LlmAttributionResolver;
import dev.callbacks.metrics.LlmMeters;
import dev.callbacks.metrics.MicrometerCallbackObserver;
import dev.callbacks.metrics.ModelTags;
import dev.callbacks.metrics.OtelGenAiMeterObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.observation.ChatModelMeterObservationHandler;
import org.springframework.ai.model.chat.observation.autoconfigure.ChatObservationAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class CallbacksMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CallbacksAutoConfiguration.class,
				CallbacksMetricsAutoConfiguration.class,
				org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration.class,
				org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration.class,
				org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration.class));

	@Test
	void recordsIntoTheAutoConfiguredRegistry() {
		this.contextRunner.run(context -> {
			assertThat(context).hasSingleBean(MicrometerCallbackObserver.class);
			context.getBean(MicrometerCallbackObserver.class).onLlmRun(run("gpt-4o-mini", Map.of()));
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get(LlmMeters.TOKENS).tag(LlmMeters.TAG_TYPE, "input").counter().count()).isEqualTo(10);
		});
	}

	@Test
	void usageAnomaliesAreMetersOfABoundedSet() {
		this.contextRunner.run(context -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find(LlmMeters.USAGE_ANOMALIES).functionCounters())
				.hasSize(dev.callbacks.ai.usage.ProviderUsage.PROVIDERS.size()
						* dev.callbacks.ai.usage.UsageAnomalies.Kind.values().length);
			dev.callbacks.ai.usage.UsageAnomalies.Kind kind = dev.callbacks.ai.usage.UsageAnomalies.Kind.values()[0];
			assertThat(registry.get(LlmMeters.USAGE_ANOMALIES)
				.tag(LlmMeters.TAG_PROVIDER, "anthropic")
				.tag(LlmMeters.TAG_KIND, kind.tagValue())
				.functionCounter()
				.count()).isEqualTo(dev.callbacks.ai.usage.UsageAnomalies.count("anthropic", kind));
		});
	}

	@Test
	void theManagerHandsEndedRunsToTheObserver() {
		this.contextRunner.run(context -> assertThat(context.getBean(CallbackManager.class)).extracting("observers")
			.asList()
			.containsExactly(context.getBean(MicrometerCallbackObserver.class)));
	}

	@Test
	void offWithoutARegistry() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(CallbacksAutoConfiguration.class, CallbacksMetricsAutoConfiguration.class))
			.run(context -> assertThat(context).doesNotHaveBean(MicrometerCallbackObserver.class)
				.hasSingleBean(CallbackManager.class));
	}

	@Test
	void offWithoutMicrometer() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(CallbacksAutoConfiguration.class, CallbacksMetricsAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run(context -> assertThat(context).doesNotHaveBean(MicrometerCallbackObserver.class));
	}

	@Test
	void disabledByProperty() {
		this.contextRunner.withPropertyValues("callbacks.metrics.enabled=false")
			.run(context -> assertThat(context).doesNotHaveBean(MicrometerCallbackObserver.class));
	}

	@Test
	void backsOffFromAUserObserver() {
		this.contextRunner
			.withBean("userObserver", MicrometerCallbackObserver.class,
					() -> new MicrometerCallbackObserver(new SimpleMeterRegistry()))
			.run(context -> assertThat(context.getBean(MicrometerCallbackObserver.class))
				.isSameAs(context.getBean("userObserver")));
	}

	@Test
	void attributionTagIsBoundedToTheConfiguredValues() {
		this.contextRunner
			.withPropertyValues("callbacks.metrics.attribution.tag=tenant",
					"callbacks.metrics.attribution.values=acme,globex")
			.run(context -> {
				MicrometerCallbackObserver observer = context.getBean(MicrometerCallbackObserver.class);
				observer.onLlmRun(run("m", Map.of("tenant", "acme")));
				observer.onLlmRun(run("m", Map.of("tenant", "initech")));
				observer.onLlmRun(run("m", Map.of("tenant", "umbrella")));
				observer.onLlmRun(run("m", Map.of()));
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(requests(registry, "acme")).isEqualTo(1);
				assertThat(requests(registry, LlmMeters.OTHER)).isEqualTo(2);
				assertThat(requests(registry, LlmMeters.NONE)).isEqualTo(1);
				assertThat(registry.find(LlmMeters.REQUESTS).tag("tenant", "initech").counter()).isNull();
			});
	}

	@Test
	void attributionResolverBeanIsUsedAndStillBounded() {
		this.contextRunner
			.withPropertyValues("callbacks.metrics.attribution.tag=feature",
					"callbacks.metrics.attribution.values=chat,search")
			.withBean(LlmAttributionResolver.class, () -> run -> run.client().equals("search") ? "search" : "x")
			.run(context -> {
				MicrometerCallbackObserver observer = context.getBean(MicrometerCallbackObserver.class);
				observer.onLlmRun(run("m", Map.of()));
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get(LlmMeters.REQUESTS)
					.tags("feature", LlmMeters.OTHER, LlmMeters.TAG_OUTCOME, LlmMeters.OUTCOME_SUCCESS)
					.counter()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void attributionWithoutValuesFailsStartUpNamingTheProperty() {
		this.contextRunner.withPropertyValues("callbacks.metrics.attribution.tag=tenant").run(context -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("callbacks.metrics.attribution.values");
		});
	}

	@Test
	void attributionTagClashingWithAFixedTagFailsStartUp() {
		this.contextRunner
			.withPropertyValues("callbacks.metrics.attribution.tag=model", "callbacks.metrics.attribution.values=a")
			.run(context -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("callbacks.metrics.attribution.tag");
			});
	}

	@Test
	void modelsPricedByPropertyKeepTheirNamePastTheUnpricedBound() {
		this.contextRunner
			.withPropertyValues("callbacks.metrics.models.max-unpriced=1",
					"callbacks.pricing.models.[shop-llm-7b].prompt=0.2",
					"callbacks.pricing.models.[shop-llm-7b].completion=0.6")
			.run(context -> {
				MicrometerCallbackObserver observer = context.getBean(MicrometerCallbackObserver.class);
				observer.onLlmRun(run("typed-by-a-user-1", Map.of()));
				observer.onLlmRun(run("typed-by-a-user-2", Map.of()));
				observer.onLlmRun(run("shop-llm-7b", Map.of()));
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.find(LlmMeters.REQUESTS)
					.tag(LlmMeters.TAG_OUTCOME, LlmMeters.OUTCOME_SUCCESS)
					.counters()).extracting(counter -> counter.getId().getTag(LlmMeters.TAG_MODEL))
					.containsExactlyInAnyOrder("typed-by-a-user-1", LlmMeters.OTHER, "shop-llm-7b");
			});
	}

	@Test
	void negativeModelBoundFailsStartUpNamingTheProperty() {
		this.contextRunner.withPropertyValues("callbacks.metrics.models.max-unpriced=-1").run(context -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("callbacks.metrics.models.max-unpriced");
		});
		this.contextRunner.withPropertyValues("callbacks.metrics.models.max-priced-variants=-1").run(context -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("callbacks.metrics.models.max-priced-variants");
		});
	}

	private static double requests(MeterRegistry registry, String tenant) {
		return registry.get(LlmMeters.REQUESTS)
			.tags("tenant", tenant, LlmMeters.TAG_OUTCOME, LlmMeters.OUTCOME_SUCCESS)
			.counter()
			.count();
	}

	@Test
	void theLlmNamesByDefault() {
		this.contextRunner.run(context -> {
			assertThat(context).doesNotHaveBean(OtelGenAiMeterObserver.class);
			context.getBean(CallbackManager.class).observers().forEach(o -> o.onLlmRun(run("gpt-4o-mini", Map.of())));
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find(LlmMeters.TOKENS).counters()).isNotEmpty();
			assertThat(registry.find(GenAiMeters.TOKEN_USAGE).meters()).isEmpty();
			assertThat(registry.find(GenAiMeters.OPERATION_DURATION).meters()).isEmpty();
		});
	}

	@Test
	void otelNamingRecordsTheGenAiInstrumentsInsteadOfTheLlmRoundMeters() {
		this.contextRunner.withPropertyValues("callbacks.metrics.naming=otel").run(context -> {
			OtelGenAiMeterObserver otel = context.getBean(OtelGenAiMeterObserver.class);
			assertThat(otel.recordsTokenUsage()).isTrue();
			assertThat(context.getBean(CallbackManager.class).observers())
				.containsExactlyInAnyOrder(context.getBean(MicrometerCallbackObserver.class), otel);
			context.getBean(CallbackManager.class).observers().forEach(o -> o.onLlmRun(run("gpt-4o-mini", Map.of())));
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find(LlmMeters.TOKENS).meters()).isEmpty();
			assertThat(registry.find(LlmMeters.REQUESTS).meters()).isEmpty();
			assertThat(registry.get(GenAiMeters.TOKEN_USAGE)
				.tag(GenAiMeters.ATTR_TOKEN_TYPE, "input")
				.tag(GenAiMeters.ATTR_RESPONSE_MODEL, "gpt-4o-mini")
				.summary()
				.totalAmount()).isEqualTo(10);
			assertThat(registry.get(GenAiMeters.OPERATION_DURATION).summary().count()).isOne();
		});
	}

	@Test
	void bothNamingRecordsBoth() {
		this.contextRunner.withPropertyValues("callbacks.metrics.naming=both").run(context -> {
			context.getBean(CallbackManager.class).observers().forEach(o -> o.onLlmRun(run("gpt-4o-mini", Map.of())));
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get(LlmMeters.TOKENS).tag(LlmMeters.TAG_TYPE, "output").counter().count()).isEqualTo(5);
			assertThat(registry.get(GenAiMeters.TOKEN_USAGE)
				.tag(GenAiMeters.ATTR_TOKEN_TYPE, "output")
				.summary()
				.totalAmount()).isEqualTo(5);
		});
	}

	@Test
	void otelNamingLeavesTokenUsageToSpringAiWhenItsMeterHandlerIsThere() {
		this.contextRunner.withPropertyValues("callbacks.metrics.naming=otel")
			.withConfiguration(AutoConfigurations.of(ChatObservationAutoConfiguration.class))
			.run(context -> {
				assertThat(context).hasSingleBean(ChatModelMeterObservationHandler.class);
				assertThat(context.getBean(OtelGenAiMeterObserver.class).recordsTokenUsage()).isFalse();
				context.getBean(OtelGenAiMeterObserver.class).onLlmRun(run("gpt-4o-mini", Map.of()));
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.find(GenAiMeters.TOKEN_USAGE).meters()).isEmpty();
				assertThat(registry.get(GenAiMeters.OPERATION_DURATION).summary().count()).isOne();
			});
	}

	@Test
	void anUnknownNamingFailsTheStartNamingTheProperty() {
		this.contextRunner.withPropertyValues("callbacks.metrics.naming=opentelemetry").run(context -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("callbacks.metrics.naming")
				.hasMessageContaining("opentelemetry");
		});
	}

	@Test
	void backsOffFromAUserGenAiObserver() {
		OtelGenAiMeterObserver user = new OtelGenAiMeterObserver(new SimpleMeterRegistry(), ModelTags.defaults(), true);
		this.contextRunner.withPropertyValues("callbacks.metrics.naming=otel")
			.withBean("userGenAi", OtelGenAiMeterObserver.class, () -> user)
			.run(context -> assertThat(context.getBean(OtelGenAiMeterObserver.class)).isSameAs(user));
	}

	private static LlmRunRecord run(String model, Map<String, Object> metadata) {
		return new LlmRunRecord(UUID.randomUUID(), UUID.randomUUID(), Instant.now(), "chat_client",
				LlmRunRecord.UNKNOWN_PROVIDER, model, TokenUsage.of(10, 5), null, LlmRunRecord.Outcome.SUCCESS, false,
				1_000_000, -1, RunIdentity.of(metadata), List.of(), metadata);
	}

}
