package dev.callbacks.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import dev.callbacks.autoconfigure.CallbacksBudgetAutoConfiguration;
import dev.callbacks.budget.BudgetEnforcer;
import dev.callbacks.budget.RoundRequest;
import dev.callbacks.event.RunIdentity;
import dev.callbacks.test.MutableClock;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.reactive.context.AnnotationConfigReactiveWebServerApplicationContext;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.error.ErrorWebFluxAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client sees over a real server (Netty): the raw 429 response, printed for the
 * README. A context runner with a server context rather than a SpringBootTest: it leaves
 * the JVM's logging configuration alone for the tests that run after it.
 */
class BudgetProblemDetailServerTests {

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner(
			AnnotationConfigReactiveWebServerApplicationContext::new)
		.withConfiguration(AutoConfigurations.of(NettyReactiveWebServerAutoConfiguration.class,
				WebFluxAutoConfiguration.class, HttpHandlerAutoConfiguration.class, CodecsAutoConfiguration.class,
				JacksonAutoConfiguration.class, ErrorWebFluxAutoConfiguration.class,
				CallbacksBudgetAutoConfiguration.class))
		.withUserConfiguration(App.class)
		.withPropertyValues("server.port=0", "server.address=127.0.0.1", "callbacks.budgets.tenant-daily.scope=tenant",
				"callbacks.budgets.tenant-daily.period=day", "callbacks.budgets.tenant-daily.limit-tokens=20000");

	@Test
	void theResponseAClientSees() {
		this.contextRunner.run(context -> {
			int port = ((WebServerApplicationContext) context.getSourceApplicationContext()).getWebServer().getPort();
			HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
			HttpRequest first = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/chat?tenant=acme"))
				.timeout(Duration.ofSeconds(10))
				.build();
			assertThat(client.send(first, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
			HttpResponse<String> response = client.send(first, HttpResponse.BodyHandlers.ofString());
			System.out.println("HTTP/1.1 " + response.statusCode());
			response.headers()
				.map()
				.forEach((name, values) -> System.out.println(name + ": " + String.join(", ", values)));
			System.out.println();
			System.out.println(response.body());
			assertThat(response.statusCode()).isEqualTo(429);
			assertThat(response.headers().firstValue("Retry-After")).hasValue("49470");
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(response.body()).contains("\"budget\":\"tenant-daily\"", "\"limitTokens\":20000",
					"\"resetsAt\":\"2026-03-11T00:00:00Z\"", "\"instance\":\"/chat\"");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class App {

		@Bean
		MutableClock clock() {
			return MutableClock.at("2026-03-10T10:15:30Z");
		}

		@Bean
		ChatController chatController(BudgetEnforcer enforcer) {
			return new ChatController(enforcer);
		}

	}

	@RestController
	static class ChatController {

		private final BudgetEnforcer enforcer;

		ChatController(BudgetEnforcer enforcer) {
			this.enforcer = enforcer;
		}

		// What the engine will do before a model round: 12,000 prompt tokens and a
		// maximum of 4,096 output tokens, twice.
		@GetMapping("/chat")
		Mono<String> chat(@RequestParam String tenant) {
			RoundRequest round = new RoundRequest("flower-shop", new RunIdentity(null, tenant, null),
					UUID.randomUUID().toString(), "gpt-4o-mini", 12_000, 4_096);
			return this.enforcer.admitAsync(round).map(admission -> "Roses, tulips and sunflowers.");
		}

	}

}
