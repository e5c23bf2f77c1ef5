package dev.callbacks.demo.web;

import tools.jackson.core.StreamWriteFeature;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * JSON as the API writes it.
 */
@Configuration(proxyBeanMethods = false)
public class JsonConfiguration {

	/** Costs are tiny: {@code 0.00003645}, not {@code 3.645E-5}. */
	@Bean
	JsonMapperBuilderCustomizer plainBigDecimals() {
		return (builder) -> builder.enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN);
	}

}
