package dev.callbacks.demo.handlers;

import dev.callbacks.demo.FlowerShopProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The shop's callback handlers. Declaring them as beans is all it takes: the starter
 * applies every {@code CallbackHandler} and {@code AsyncCallbackHandler} bean to every
 * {@code ChatClient}. The built-in stdout and file handlers come from
 * {@code callbacks.verbose=true} and {@code callbacks.file.path=output.log}.
 */
@Configuration(proxyBeanMethods = false)
public class CallbackHandlersConfiguration {

	@Bean
	TokenPrinterHandler tokenPrinterHandler() {
		return new TokenPrinterHandler();
	}

	@Bean
	FlowerShopAsyncHandler flowerShopAsyncHandler(FlowerShopProperties properties) {
		return new FlowerShopAsyncHandler(properties.getAsyncHandlerDelay());
	}

}
