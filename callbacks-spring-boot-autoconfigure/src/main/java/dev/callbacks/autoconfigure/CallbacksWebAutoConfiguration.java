package dev.callbacks.autoconfigure;

import dev.callbacks.metrics.HttpRequestTokens;
import dev.callbacks.web.RequestUsage;
import dev.callbacks.web.ServletUsageTrackerArgumentResolver;
import dev.callbacks.web.UsageHeaderResponseBodyAdvice;
import dev.callbacks.web.UsageTrackerArgumentResolver;
import dev.callbacks.web.UsageTrackingServletFilter;
import dev.callbacks.web.UsageTrackingWebFilter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * A {@code UsageTracker} per HTTP request, in WebFlux and Spring MVC applications: opened
 * by a filter, available as a controller method argument, optionally reported in the
 * {@code LLM-Usage} response header, and recorded as {@code llm.http.request.tokens} when
 * a meter registry is present.
 * <p>
 * After the metrics auto-configurations, so that the meter registry (if any) is known
 * when the recorder is.
 */
@AutoConfiguration(after = CallbacksMetricsAutoConfiguration.class, afterName = {
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(ChatClient.class)
@ConditionalOnWebApplication
@ConditionalOnBooleanProperty(name = "callbacks.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "callbacks.usage.per-request", matchIfMissing = true)
@EnableConfigurationProperties(CallbacksProperties.class)
public final class CallbacksWebAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(CallbacksWebAutoConfiguration.class);

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	@ConditionalOnBooleanProperty(name = "callbacks.metrics.enabled", matchIfMissing = true)
	static class RequestTokensMetricConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RequestUsage.Recorder httpRequestTokensRecorder(MeterRegistry meterRegistry) {
			HttpRequestTokens meter = new HttpRequestTokens(meterRegistry);
			return (uriTemplate, tracker) -> meter.record(uriTemplate, tracker.totalTokens());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	@ConditionalOnClass(WebFluxConfigurer.class)
	static class ReactiveConfiguration {

		@Bean
		@ConditionalOnMissingBean
		UsageTrackingWebFilter usageTrackingWebFilter(CallbacksProperties properties,
				ObjectProvider<RequestUsage.Recorder> recorder, Environment environment) {
			if (!"auto".equalsIgnoreCase(environment.getProperty("spring.reactor.context-propagation", "limited"))) {
				// The tracker lives in the request's Reactor context; a blocking call()
				// offloaded to another scheduler only sees it on its thread when Reactor
				// restores thread-locals automatically.
				logger.info("Per-request usage trackers reach ChatClient.stream(); for call() made on another "
						+ "scheduler in a WebFlux handler, set spring.reactor.context-propagation=auto");
			}
			return new UsageTrackingWebFilter(properties.getUsage().isHttpHeader(), recorder.getIfAvailable());
		}

		@Bean
		WebFluxConfigurer usageTrackerWebFluxConfigurer() {
			return new WebFluxConfigurer() {
				@Override
				public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
					configurer.addCustomResolver(new UsageTrackerArgumentResolver());
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass({ WebMvcConfigurer.class, jakarta.servlet.Filter.class })
	static class ServletConfiguration {

		@Bean
		@ConditionalOnMissingBean
		UsageTrackingServletFilter usageTrackingServletFilter(ObjectProvider<RequestUsage.Recorder> recorder) {
			return new UsageTrackingServletFilter(recorder.getIfAvailable());
		}

		@Bean
		WebMvcConfigurer usageTrackerWebMvcConfigurer() {
			return new WebMvcConfigurer() {
				@Override
				public void addArgumentResolvers(java.util.List<HandlerMethodArgumentResolver> resolvers) {
					resolvers.add(new ServletUsageTrackerArgumentResolver());
				}
			};
		}

		@Bean
		@ConditionalOnBooleanProperty("callbacks.usage.http-header")
		UsageHeaderResponseBodyAdvice usageHeaderResponseBodyAdvice() {
			return new UsageHeaderResponseBodyAdvice();
		}

	}

}
