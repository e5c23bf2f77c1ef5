package dev.callbacks.autoconfigure;

import java.util.Set;

import dev.callbacks.ai.usage.ProviderUsage;
import dev.callbacks.ai.usage.UsageAnomalies;
import dev.callbacks.metrics.LlmAttributionResolver;
import dev.callbacks.metrics.LlmMeters;
import dev.callbacks.metrics.MicrometerCallbackObserver;
import dev.callbacks.metrics.ModelTags;
import dev.callbacks.metrics.OtelGenAiMeterObserver;
import dev.callbacks.metrics.ToolTags;
import dev.callbacks.usage.ModelPrices;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.observation.ChatModelMeterObservationHandler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The {@code llm.*} and {@code callbacks.handler.errors} meters, recorded into the
 * application's {@link MeterRegistry}.
 * <p>
 * After the composite registry's auto-configuration:
 * {@code @ConditionalOnBean(MeterRegistry.class)} is evaluated when this configuration
 * is, and without that ordering it would silently never match (Spring AI issue #5444).
 */
@AutoConfiguration(afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass({ ChatClient.class, MeterRegistry.class })
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "callbacks.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "callbacks.metrics.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CallbacksProperties.class)
public final class CallbacksMetricsAutoConfiguration {

	static final String NAMING_PROPERTY = "callbacks.metrics.naming";

	static final String NAMING_LLM = "llm";

	static final String NAMING_OTEL = "otel";

	static final String NAMING_BOTH = "both";

	@Bean
	@ConditionalOnMissingBean
	MicrometerCallbackObserver micrometerCallbackObserver(MeterRegistry meterRegistry, CallbacksProperties properties,
			ObjectProvider<LlmAttributionResolver> attributionResolver, ObjectProvider<ModelPrices> prices) {
		ModelTags modelTags = modelTags(properties.getMetrics().getModels(),
				prices.getIfAvailable(ModelPrices::defaults));
		boolean llmRunMeters = !NAMING_OTEL.equals(naming(properties));
		CallbacksProperties.Attribution attribution = properties.getMetrics().getAttribution();
		String tag = attribution.getTag();
		if (tag == null) {
			return new MicrometerCallbackObserver(meterRegistry, null, Set.of(), run -> null, modelTags,
					ToolTags.defaults(), llmRunMeters);
		}
		if (tag.isBlank() || Set.of("model", "client", "type", "outcome").contains(tag)) {
			throw new InvalidConfigurationPropertyValueException("callbacks.metrics.attribution.tag", tag,
					"must be a tag name other than model, client, type and outcome");
		}
		if (attribution.getValues().isEmpty()) {
			throw new InvalidConfigurationPropertyValueException("callbacks.metrics.attribution.values", "",
					"must list the values the '" + tag + "' tag may take (others are recorded as 'other')");
		}
		LlmAttributionResolver resolver = attributionResolver
			.getIfAvailable(() -> LlmAttributionResolver.fromMetadata(tag));
		return new MicrometerCallbackObserver(meterRegistry, tag, attribution.getValues(), resolver, modelTags,
				ToolTags.defaults(), llmRunMeters);
	}

	/**
	 * The OpenTelemetry GenAI instruments, when {@code callbacks.metrics.naming} asks for
	 * them. Spring AI's {@link ChatModelMeterObservationHandler} (auto-configured with a
	 * {@link MeterRegistry}) already records {@code gen_ai.client.token.usage} for every
	 * chat model observation: while it is a bean, that instrument is left to it so that
	 * no series is recorded twice.
	 */
	@Bean
	@ConditionalOnMissingBean
	@Conditional(OtelNamingCondition.class)
	OtelGenAiMeterObserver otelGenAiMeterObserver(MeterRegistry meterRegistry, CallbacksProperties properties,
			ObjectProvider<ModelPrices> prices, ObjectProvider<ChatModelMeterObservationHandler> springAiMeters) {
		ModelTags modelTags = modelTags(properties.getMetrics().getModels(),
				prices.getIfAvailable(ModelPrices::defaults));
		return new OtelGenAiMeterObserver(meterRegistry, modelTags, springAiMeters.getIfAvailable() == null);
	}

	// Validated here, where every bean of this configuration passes, so that a typo fails
	// the start-up naming the property.
	private static String naming(CallbacksProperties properties) {
		String naming = properties.getMetrics().getNaming();
		if (!Set.of(NAMING_LLM, NAMING_OTEL, NAMING_BOTH).contains(naming)) {
			throw new InvalidConfigurationPropertyValueException(NAMING_PROPERTY, naming,
					"must be one of llm, otel, both");
		}
		return naming;
	}

	// The price table in force (bundled, with callbacks.pricing overrides, or the user's
	// bean) decides which names are priced.
	private static ModelTags modelTags(CallbacksProperties.Models models, ModelPrices prices) {
		if (models.getMaxUnpriced() < 0) {
			throw new InvalidConfigurationPropertyValueException("callbacks.metrics.models.max-unpriced",
					models.getMaxUnpriced(), "must not be negative");
		}
		if (models.getMaxPricedVariants() < 0) {
			throw new InvalidConfigurationPropertyValueException("callbacks.metrics.models.max-priced-variants",
					models.getMaxPricedVariants(), "must not be negative");
		}
		return new ModelTags(prices, models.getAllowed(), models.getMaxUnpriced(), models.getMaxPricedVariants());
	}

	// Provider usage reports the readers had to repair or drop: a bounded set of
	// providers and kinds, read from the adapter's counts.
	@Bean
	MeterBinder callbacksUsageAnomaliesMeters() {
		return (registry) -> {
			for (String provider : ProviderUsage.PROVIDERS) {
				for (UsageAnomalies.Kind kind : UsageAnomalies.Kind.values()) {
					FunctionCounter
						.builder(LlmMeters.USAGE_ANOMALIES, kind, (counted) -> UsageAnomalies.count(provider, counted))
						.description("Provider usage reports that were repaired or dropped (never failing a chat)")
						.tag(LlmMeters.TAG_PROVIDER, provider)
						.tag(LlmMeters.TAG_KIND, kind.tagValue())
						.register(registry);
				}
			}
		};
	}

	/** {@code callbacks.metrics.naming} is {@code otel} or {@code both}. */
	static final class OtelNamingCondition implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			String naming = context.getEnvironment().getProperty(NAMING_PROPERTY, NAMING_LLM);
			return NAMING_OTEL.equals(naming) || NAMING_BOTH.equals(naming);
		}

	}

}
