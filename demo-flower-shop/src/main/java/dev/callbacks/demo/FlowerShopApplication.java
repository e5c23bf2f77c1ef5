package dev.callbacks.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The flower shop's customer service: a WebFlux application that uses the callbacks
 * starter the way a user would (add the starter, declare handler beans, read the actuator
 * metrics).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class FlowerShopApplication {

	public static void main(String[] args) {
		SpringApplication.run(FlowerShopApplication.class, args);
	}

}
