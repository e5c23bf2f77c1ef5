package dev.callbacks.autoconfigure;

import java.util.List;

import dev.callbacks.web.RequestUsage;
import dev.callbacks.web.UsageHeaderResponseBodyAdvice;
import dev.callbacks.web.UsageTrackingServletFilter;
import dev.callbacks.web.UsageTrackingWebFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.reactive.config.WebFluxConfigurer;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class CallbacksWebAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(CallbacksAutoConfiguration.class,
			CallbacksWebAutoConfiguration.class);

	@Test
	void reactiveApplicationsGetTheWebFilter() {
		new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS).run(context -> {
			assertThat(context).hasSingleBean(UsageTrackingWebFilter.class)
				.doesNotHaveBean(UsageTrackingServletFilter.class)
				.doesNotHaveBean(RequestUsage.Recorder.class);
			assertThat(context.getBeansOfType(WebFluxConfigurer.class)).containsKey("usageTrackerWebFluxConfigurer");
		});
	}

	@Test
	void servletApplicationsGetTheServletFilterAndTheHeaderAdviceWhenAsked() {
		new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.run(context -> assertThat(context).hasSingleBean(UsageTrackingServletFilter.class)
				.doesNotHaveBean(UsageHeaderResponseBodyAdvice.class)
				.doesNotHaveBean(UsageTrackingWebFilter.class));
		new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues("callbacks.usage.http-header=true")
			.run(context -> assertThat(context).hasSingleBean(UsageHeaderResponseBodyAdvice.class));
	}

	@Test
	void aMeterRegistryAddsTheRequestTokensRecorder() {
		new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withBean(SimpleMeterRegistry.class)
			.run(context -> assertThat(context).hasSingleBean(RequestUsage.Recorder.class));
	}

	@Test
	void nothingOutsideWebApplications() {
		new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.run(context -> assertThat(context).doesNotHaveBean(UsageTrackingWebFilter.class)
				.doesNotHaveBean(UsageTrackingServletFilter.class));
	}

	@Test
	void switchedOffByProperties() {
		new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues("callbacks.usage.per-request=false")
			.run(context -> assertThat(context).doesNotHaveBean(UsageTrackingWebFilter.class));
		new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues("callbacks.enabled=false")
			.run(context -> assertThat(context).doesNotHaveBean(UsageTrackingWebFilter.class));
	}

	@Test
	void webFluxSaysAtStartUpThatCallIsCountedOnlyWithAutomaticContextPropagation(CapturedOutput output) {
		new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.run(context -> assertThat(context).hasNotFailed());

		assertThat(hints(output)).singleElement()
			.asString()
			.contains("INFO")
			.contains("spring.reactor.context-propagation=auto")
			.contains("call()")
			.contains("handler method")
			.contains("stream()");
	}

	@Test
	void springMvcSaysAtStartUpThatCallOnAnotherSchedulerIsCountedOnlyWithAutomaticContextPropagation(
			CapturedOutput output) {
		new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.run(context -> assertThat(context).hasNotFailed());

		assertThat(hints(output)).singleElement()
			.asString()
			.contains("INFO")
			.contains("spring.reactor.context-propagation=auto")
			.contains("Mono.fromCallable(")
			.contains("subscribeOn(");
	}

	@Test
	void noHintWithAutomaticContextPropagation(CapturedOutput output) {
		new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues("spring.reactor.context-propagation=auto")
			.run(context -> assertThat(context).hasNotFailed());
		new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues("spring.reactor.context-propagation=AUTO")
			.run(context -> assertThat(context).hasNotFailed());

		assertThat(hints(output)).isEmpty();
	}

	private static List<String> hints(CapturedOutput output) {
		return output.getAll().lines().filter(line -> line.contains("spring.reactor.context-propagation")).toList();
	}

	@Test
	void reactivePartNeedsWebFlux() {
		new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withClassLoader(new FilteredClassLoader(WebFluxConfigurer.class))
			.run(context -> assertThat(context).doesNotHaveBean(UsageTrackingWebFilter.class));
	}

}
