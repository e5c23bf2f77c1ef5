package dev.callbacks.web;

import java.util.List;
import java.util.UUID;

import dev.callbacks.autoconfigure.CallbacksBudgetAutoConfiguration;
import dev.callbacks.budget.BudgetEnforcer;
import dev.callbacks.budget.BudgetExceededException;
import dev.callbacks.budget.BudgetStore;
import dev.callbacks.budget.RoundRequest;
import dev.callbacks.event.RunIdentity;
import dev.callbacks.test.MutableClock;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.error.ErrorWebFluxAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A budget error becomes a 429 problem detail with {@code Retry-After} in WebFlux and in
 * Spring MVC, also wrapped or at the start of a stream; the application's own handler
 * wins.
 */
class BudgetProblemDetailTests {

	// 10:15:30: the day resets in 13 h 44 min 30 s.
	private static final long RETRY_AFTER = 49_470;

	private static final String[] BUDGET = { "callbacks.budgets.tenant-daily.scope=tenant",
			"callbacks.budgets.tenant-daily.period=day", "callbacks.budgets.tenant-daily.limit-tokens=1000" };

	private final ReactiveWebApplicationContextRunner webFlux = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CallbacksBudgetAutoConfiguration.class, WebFluxAutoConfiguration.class,
				HttpHandlerAutoConfiguration.class, CodecsAutoConfiguration.class, JacksonAutoConfiguration.class,
				ErrorWebFluxAutoConfiguration.class))
		.withUserConfiguration(Clock.class, ReactiveController.class)
		.withPropertyValues(BUDGET);

	private final WebApplicationContextRunner mvc = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CallbacksBudgetAutoConfiguration.class, WebMvcAutoConfiguration.class,
				DispatcherServletAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
				JacksonAutoConfiguration.class, ErrorMvcAutoConfiguration.class))
		.withUserConfiguration(Clock.class, ServletController.class)
		.withPropertyValues(BUDGET);

	@Test
	void webFluxAnswers429WithRetryAfter() {
		this.webFlux.run(context -> {
			WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
			client.get().uri("/ask?tenant=acme&prompt=900").exchange().expectStatus().isOk();
			for (String path : List.of("/ask", "/wrapped", "/stream")) {
				client.get()
					.uri(path + "?tenant=acme&prompt=900")
					.exchange()
					.expectStatus()
					.isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
					.expectHeader()
					.valueEquals("Retry-After", Long.toString(RETRY_AFTER))
					.expectHeader()
					.contentType(MediaType.APPLICATION_PROBLEM_JSON)
					.expectBody()
					.jsonPath("$.status")
					.isEqualTo(429)
					.jsonPath("$.title")
					.isEqualTo("Too Many Requests")
					.jsonPath("$.budget")
					.isEqualTo("tenant-daily")
					.jsonPath("$.scope")
					.isEqualTo("tenant")
					.jsonPath("$.limitTokens")
					.isEqualTo(1000)
					.jsonPath("$.spentTokens")
					.isEqualTo(1000)
					.jsonPath("$.requestedTokens")
					.isEqualTo(1000)
					.jsonPath("$.resetsAt")
					.isEqualTo("2026-03-11T00:00:00Z")
					.jsonPath("$.detail")
					.value(detail -> org.assertj.core.api.Assertions.assertThat((String) detail)
						.startsWith("Budget 'tenant-daily' (tenant, calendar day) exceeded: 1,000 of 1,000 tokens")
						.doesNotContain("acme"));
			}
			// Another tenant is not affected.
			client.get().uri("/ask?tenant=globex&prompt=900").exchange().expectStatus().isOk();
		});
	}

	@Test
	void webFluxStoreFailureFailClosedIs503WithoutTheCause() {
		this.webFlux.withUserConfiguration(BrokenStore.class)
			.withPropertyValues("callbacks.budget-store.on-failure=fail-closed")
			.run(context -> WebTestClient.bindToApplicationContext(context)
				.build()
				.get()
				.uri("/ask?tenant=acme&prompt=1")
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
				.expectHeader()
				.doesNotExist("Retry-After")
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo(503)
				.jsonPath("$.detail")
				.value(detail -> org.assertj.core.api.Assertions.assertThat((String) detail)
					.doesNotContain("secret-host")));
	}

	@Test
	void webFluxApplicationHandlerWins() {
		this.webFlux.withUserConfiguration(OwnHandler.class).run(context -> {
			WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
			client.get().uri("/ask?tenant=acme&prompt=900").exchange().expectStatus().isOk();
			client.get()
				.uri("/ask?tenant=acme&prompt=900")
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.PAYMENT_REQUIRED)
				.expectBody(String.class)
				.isEqualTo("over budget: tenant-daily");
		});
	}

	@Test
	void mvcAnswers429WithRetryAfter() {
		this.mvc.run(context -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			mvc.perform(get("/ask").param("tenant", "acme").param("prompt", "900")).andExpect(status().isOk());
			for (String path : List.of("/ask", "/wrapped")) {
				mvc.perform(get(path).param("tenant", "acme").param("prompt", "900"))
					.andExpect(status().isTooManyRequests())
					.andExpect(header().string("Retry-After", Long.toString(RETRY_AFTER)))
					.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
					.andExpect(jsonPath("$.status").value(429))
					.andExpect(jsonPath("$.title").value("Too Many Requests"))
					.andExpect(jsonPath("$.budget").value("tenant-daily"))
					.andExpect(jsonPath("$.limitTokens").value(1000))
					.andExpect(jsonPath("$.spentTokens").value(1000))
					.andExpect(jsonPath("$.resetsAt").value("2026-03-11T00:00:00Z"));
			}
		});
	}

	@Test
	void mvcApplicationHandlerWins() {
		this.mvc.withUserConfiguration(OwnHandler.class).run(context -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			mvc.perform(get("/ask").param("tenant", "acme").param("prompt", "900")).andExpect(status().isOk());
			mvc.perform(get("/ask").param("tenant", "acme").param("prompt", "900"))
				.andExpect(status().isPaymentRequired())
				.andExpect(content().string("over budget: tenant-daily"));
		});
	}

	private static RoundRequest round(String tenant, long prompt) {
		return new RoundRequest("shop", new RunIdentity(null, tenant, null), UUID.randomUUID().toString(),
				"gpt-4o-mini", prompt, 100);
	}

	@Configuration(proxyBeanMethods = false)
	static class Clock {

		@Bean
		MutableClock clock() {
			return MutableClock.at("2026-03-10T10:15:30Z");
		}

	}

	@RestController
	static class ReactiveController {

		private final BudgetEnforcer enforcer;

		ReactiveController(BudgetEnforcer enforcer) {
			this.enforcer = enforcer;
		}

		@GetMapping("/ask")
		Mono<String> ask(@RequestParam String tenant, @RequestParam long prompt) {
			return this.enforcer.admitAsync(round(tenant, prompt)).map(admission -> "ok");
		}

		@GetMapping("/wrapped")
		Mono<String> wrapped(@RequestParam String tenant, @RequestParam long prompt) {
			return this.enforcer.admitAsync(round(tenant, prompt))
				.map(admission -> "ok")
				.onErrorMap(ex -> new IllegalStateException("The chat failed", new RuntimeException(ex)));
		}

		@GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
		Flux<String> stream(@RequestParam String tenant, @RequestParam long prompt) {
			return this.enforcer.admitAsync(round(tenant, prompt)).flatMapMany(admission -> Flux.just("a", "b"));
		}

	}

	@RestController
	static class ServletController {

		private final BudgetEnforcer enforcer;

		ServletController(BudgetEnforcer enforcer) {
			this.enforcer = enforcer;
		}

		@GetMapping("/ask")
		String ask(@RequestParam String tenant, @RequestParam long prompt) {
			this.enforcer.admit(round(tenant, prompt));
			return "ok";
		}

		@GetMapping("/wrapped")
		String wrapped(@RequestParam String tenant, @RequestParam long prompt) {
			try {
				this.enforcer.admit(round(tenant, prompt));
				return "ok";
			}
			catch (BudgetExceededException ex) {
				throw new IllegalStateException("The chat failed", new RuntimeException(ex));
			}
		}

	}

	@RestControllerAdvice
	static class OwnHandler {

		@ExceptionHandler(BudgetExceededException.class)
		ResponseEntity<String> overBudget(BudgetExceededException ex) {
			return ResponseEntity.status(HttpStatus.PAYMENT_REQUIRED).body("over budget: " + ex.budget());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BrokenStore {

		@Bean
		BudgetStore brokenStore() {
			return new BudgetStore() {
				@Override
				public Outcome reserve(List<Charge> charges) {
					throw new IllegalStateException("Cannot connect to secret-host:6379");
				}

				@Override
				public List<Spent> adjust(List<Charge> charges) {
					throw new IllegalStateException("Cannot connect to secret-host:6379");
				}
			};
		}

	}

}
