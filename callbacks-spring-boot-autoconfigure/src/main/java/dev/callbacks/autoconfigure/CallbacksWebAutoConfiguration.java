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

	private static void hintUnlessAutomaticContextPropagation(Environment environment, String hint) {
		if (!"auto".equalsIgnoreCase(environment.getProperty("spring.reactor.context-propagation", "limited"))) {
			logger.info(hint);
		}
	}

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
			// The tracker lives in the request's Reactor context. stream() reads it from
			// there; a blocking call() only sees thread-locals, and WebFlux invokes a
			// plain handler method (like Mono.fromCallable) on a thread where nothing
			// restores them unless Reactor does it for every operator. That is a JVM-wide
			// switch with a cost, not ours to flip: say so once.
			hintUnlessAutomaticContextPropagation(environment,
					"Per-request usage trackers (WebFlux) count ChatClient.stream() wherever it runs, but a blocking "
							+ "ChatClient.call() only with spring.reactor.context-propagation=auto: without it, call() "
							+ "in a handler method that returns a plain value, or in Mono.fromCallable(...)"
							+ ".subscribeOn(...), is not counted in the request's tracker nor in "
							+ "llm.http.request.tokens.");
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
		UsageTrackingServletFilter usageTrackingServletFilter(ObjectProvider<RequestUsage.Recorder> recorder,
				Environment environment) {
			// The tracker is current on the request thread and in a returned Callable,
			// and Spring MVC copies it into the Reactor context of a returned Mono or
			// Flux, where stream() finds it. A blocking call() run by such a Mono on
			// another thread sees it only when Reactor restores thread-locals for every
			// operator.
			hintUnlessAutomaticContextPropagation(environment,
					"Per-request usage trackers (Spring MVC) count ChatClient calls on the request thread, in a "
							+ "returned Callable and stream() in a returned Mono or Flux, but a blocking "
							+ "ChatClient.call() inside a Mono or Flux that runs on another thread "
							+ "(Mono.fromCallable(...).subscribeOn(...)) only with "
							+ "spring.reactor.context-propagation=auto.");
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
