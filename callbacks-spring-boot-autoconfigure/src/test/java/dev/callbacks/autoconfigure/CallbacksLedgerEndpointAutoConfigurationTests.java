package dev.callbacks.autoconfigure;

import java.util.List;

import dev.callbacks.ledger.UsageLedger;
import dev.callbacks.ledger.actuate.LlmUsageEndpoint;
import dev.callbacks.ledger.actuate.LlmUsageEndpointWebExtension;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class CallbacksLedgerEndpointAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CallbacksLedgerEndpointAutoConfiguration.class))
		.withBean(UsageLedger.class, () -> (query) -> List.of());

	@Test
	void availableWhenExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=llmusage")
			.run((context) -> assertThat(context).hasSingleBean(LlmUsageEndpoint.class)
				.hasSingleBean(LlmUsageEndpointWebExtension.class));
	}

	@Test
	void noWebExtensionWhenOnlyExposedOverJmx() {
		this.contextRunner
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=llmusage")
			.run((context) -> assertThat(context).hasSingleBean(LlmUsageEndpoint.class)
				.doesNotHaveBean(LlmUsageEndpointWebExtension.class));
	}

	@Test
	void notAvailableUnlessExposed() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(LlmUsageEndpoint.class));
	}

	@Test
	void notAvailableWhenAccessIsNone() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=llmusage",
					"management.endpoint.llmusage.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(LlmUsageEndpoint.class));
	}

	@Test
	void notAvailableWithoutALedger() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CallbacksLedgerEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=llmusage")
			.run((context) -> assertThat(context).doesNotHaveBean(LlmUsageEndpoint.class));
	}

	@Test
	void notAvailableWithoutTheActuator() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=llmusage")
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(LlmUsageEndpoint.class));
	}

}
