package dev.callbacks.autoconfigure;

import dev.callbacks.ledger.UsageLedger;
import dev.callbacks.ledger.actuate.LlmUsageEndpoint;
import dev.callbacks.ledger.actuate.LlmUsageEndpointWebExtension;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code llmusage} actuator endpoint over the {@link UsageLedger}. Available, like
 * every endpoint, when exposed ({@code management.endpoints.web.exposure.include}) and
 * secured as the application secures its actuator.
 * <p>
 * After the ledger's auto-configuration, whose {@link UsageLedger} it needs.
 */
@AutoConfiguration(after = CallbacksLedgerAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(UsageLedger.class)
@ConditionalOnAvailableEndpoint(LlmUsageEndpoint.class)
public final class CallbacksLedgerEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LlmUsageEndpoint llmUsageEndpoint(UsageLedger ledger) {
		return new LlmUsageEndpoint(ledger);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(LlmUsageEndpoint.class)
	@ConditionalOnAvailableEndpoint(endpoint = LlmUsageEndpoint.class, exposure = EndpointExposure.WEB)
	LlmUsageEndpointWebExtension llmUsageEndpointWebExtension(LlmUsageEndpoint endpoint) {
		return new LlmUsageEndpointWebExtension(endpoint);
	}

}
