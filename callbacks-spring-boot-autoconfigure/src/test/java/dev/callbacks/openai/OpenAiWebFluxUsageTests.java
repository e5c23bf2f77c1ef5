package dev.callbacks.openai;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.callbacks.usage.ModelPrices;
import dev.callbacks.usage.TokenUsage;
import dev.callbacks.UsageTracker;
import dev.callbacks.test.OpenAiMockServer;
import dev.callbacks.test.OpenAiMockServer.Reply;
import dev.callbacks.test.OpenAiMockServer.Tokens;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@code UsageTracker} per HTTP request in a real WebFlux application whose controller
 * calls Spring AI's real OpenAI client: concurrent requests each see only their own
 * tokens, in the controller argument, the {@code LLM-Usage} header and the
 * {@code llm.http.request.tokens} meter.
 * <p>
 * {@code call()} is blocking, so the controller runs it on {@code boundedElastic}: the
 * request's tracker reaches that thread only with
 * {@code spring.reactor.context-propagation=auto} (see
 * {@link #callWithoutAutomaticContextPropagationIsNotCountedForTheRequest()}).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "callbacks.usage.http-header=true",
				"spring.reactor.context-propagation=auto" })
@AutoConfigureWebTestClient
class OpenAiWebFluxUsageTests {

	private static final OpenAiMockServer server = OpenAiMockServer.start();

	private static final String MODEL = OpenAiMockServer.RESPONSE_MODEL;

	private static final Map<String, Tokens> USAGE = Map.of("rose", Tokens.of(120, 30).withCachedTokens(64), "tulip",
			Tokens.of(45, 7), "lily", Tokens.of(300, 51).withReasoningTokens(20), "daisy", Tokens.of(9, 4), "orchid",
			Tokens.of(17, 3));

	@Autowired
	private WebTestClient webTestClient;

	@Autowired
	private MeterRegistry registry;

	@DynamicPropertySource
	static void openAiServer(DynamicPropertyRegistry properties) {
		for (String property : server.springBootProperties()) {
			int equals = property.indexOf('=');
			properties.add(property.substring(0, equals), () -> property.substring(equals + 1));
		}
	}

	// spring.reactor.context-propagation=auto switches Reactor's hook on for the whole
	// JVM, for good: switch it back off after this class if it was off before, so that
	// later test classes run as they would alone.
	private static boolean automaticContextPropagationBefore;

	@BeforeAll
	static void rememberReactorHooks() {
		automaticContextPropagationBefore = ReactorHooks.automaticContextPropagation();
	}

	@AfterAll
	static void stopServerAndRestoreReactorHooks() {
		server.close();
		ReactorHooks.automaticContextPropagation(automaticContextPropagationBefore);
	}

	@AfterEach
	void noScriptLeft() {
		server.respondWith(request -> Reply.serverError());
	}

	@Test
	void concurrentCallRequestsEachSeeOnlyTheirOwnUsage() {
		// Both requests must reach the model before either is answered: they really
		// overlap.
		answerTogether(2, Duration.ZERO);

		List<EntityExchangeResult<Map<String, Object>>> results = concurrently(name -> this.webTestClient.get()
			.uri("/flowers/{name}/call", name)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.returnResult(), "rose", "tulip");

		for (int i = 0; i < 2; i++) {
			String name = List.of("rose", "tulip").get(i);
			TokenUsage sent = usageOf(USAGE.get(name));
			Map<String, Object> body = results.get(i).getResponseBody();
			assertThat(body).isNotNull().containsEntry("answer", "About " + name);
			assertThat(((Number) body.get("prompt")).longValue()).isEqualTo(sent.promptTokens());
			assertThat(((Number) body.get("completion")).longValue()).isEqualTo(sent.completionTokens());
			assertThat(((Number) body.get("total")).longValue()).isEqualTo(sent.totalTokens());
			assertThat(((Number) body.get("requests")).longValue()).isOne();
			assertThat(results.get(i).getResponseHeaders().get("LLM-Usage")).containsExactly(headerOf(sent));
		}
		assertRequestTokens("/flowers/{name}/call", "rose", "tulip");
	}

	@Test
	void concurrentStreamRequestsEachSeeOnlyTheirOwnUsage() {
		answerTogether(2, Duration.ofMillis(30));

		List<EntityExchangeResult<String>> results = concurrently(name -> this.webTestClient.get()
			.uri("/flowers/{name}/stream", name)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult(), "lily", "daisy");

		for (int i = 0; i < 2; i++) {
			String name = List.of("lily", "daisy").get(i);
			TokenUsage sent = usageOf(USAGE.get(name));
			// The controller appends what its UsageTracker argument counted once the
			// stream is over.
			assertThat(results.get(i).getResponseBody())
				.isEqualTo("About " + name + "|total=" + sent.totalTokens() + ",requests=1");
			// The response was committed with the first token, before any usage was
			// known: no header.
			assertThat(results.get(i).getResponseHeaders().containsHeader("LLM-Usage")).isFalse();
		}
		assertRequestTokens("/flowers/{name}/stream", "lily", "daisy");
	}

	@Test
	void callWithoutAutomaticContextPropagationIsNotCountedForTheRequest() throws Exception {
		server.respondWith(request -> Reply.text("About orchid").withUsage(USAGE.get("orchid")));
		assertThat(ReactorHooks.automaticContextPropagation()).as("switched on by the context").isTrue();
		// Switched off for this request only.
		ReactorHooks.withAutomaticContextPropagation(false, () -> {
			EntityExchangeResult<Map<String, Object>> result = this.webTestClient.get()
				.uri("/flowers/{name}/call", "orchid")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
				})
				.returnResult();

			// The tracker lives in the request's Reactor context, but call() on
			// boundedElastic only sees thread-locals, and nothing restores them there:
			// the request counts nothing.
			assertThat(result.getResponseBody()).isNotNull().containsEntry("total", 0);
			assertThat(result.getResponseHeaders().containsHeader("LLM-Usage")).isFalse();
		});
		assertThat(server.requestCount()).isPositive();
	}

	@Test
	void callInAPlainHandlerMethodIsCountedWithAutomaticContextPropagation() {
		server.respondWith(request -> Reply.text("About daisy").withUsage(USAGE.get("daisy")));

		EntityExchangeResult<Map<String, Object>> result = this.webTestClient.get()
			.uri("/flowers/{name}/plain", "daisy")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.returnResult();

		TokenUsage sent = usageOf(USAGE.get("daisy"));
		assertThat(result.getResponseBody()).isNotNull()
			.containsEntry("answer", "About daisy")
			.containsEntry("total", (int) sent.totalTokens());
		assertThat(result.getResponseHeaders().get("LLM-Usage")).containsExactly(headerOf(sent));
	}

	@Test
	void callInAPlainHandlerMethodIsNotCountedWithoutAutomaticContextPropagation() throws Exception {
		// What the start-up INFO line says: without
		// spring.reactor.context-propagation=auto,
		// nothing puts the request's tracker on the thread that runs the handler method.
		server.respondWith(request -> Reply.text("About daisy").withUsage(USAGE.get("daisy")));
		ReactorHooks.withAutomaticContextPropagation(false, () -> {
			EntityExchangeResult<Map<String, Object>> result = this.webTestClient.get()
				.uri("/flowers/{name}/plain", "daisy")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
				})
				.returnResult();

			assertThat(result.getResponseBody()).isNotNull()
				.containsEntry("answer", "About daisy")
				.containsEntry("total", 0);
		});
	}

	private static void answerTogether(int parties, Duration chunkDelay) {
		CyclicBarrier arrived = new CyclicBarrier(parties);
		server.respondWith(request -> {
			try {
				arrived.await(10, TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				throw new IllegalStateException("the requests did not overlap", ex);
			}
			String name = request.lastContent("user");
			return Reply.tokens("About", " " + name).withUsage(USAGE.get(name)).withChunkDelay(chunkDelay);
		});
	}

	private void assertRequestTokens(String uriTemplate, String... names) {
		double expectedTotal = 0;
		for (String name : names) {
			expectedTotal += USAGE.get(name).totalTokens();
		}
		double total = expectedTotal;
		// Recorded when the exchange completes, which may be just after the client has
		// the response.
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			DistributionSummary summary = this.registry.get("llm.http.request.tokens")
				.tag("uri", uriTemplate)
				.summary();
			assertThat(summary.count()).isEqualTo(names.length);
			assertThat(summary.totalAmount()).isEqualTo(total);
			assertThat(summary.max()).isEqualTo(
					List.of(names).stream().mapToDouble(name -> USAGE.get(name).totalTokens()).max().orElseThrow());
		});
		// Only route templates, never raw paths.
		assertThat(this.registry.find("llm.http.request.tokens").summaries())
			.allSatisfy(summary -> assertThat(summary.getId().getTag("uri")).startsWith("/flowers/{name}/"));
	}

	// One thread per request (not the common pool, which may have a single thread on a
	// small machine).
	private static <T> List<T> concurrently(Function<String, T> request, String... names) {
		ExecutorService executor = Executors.newFixedThreadPool(names.length);
		try {
			List<CompletableFuture<T>> futures = List.of(names)
				.stream()
				.map(name -> CompletableFuture.supplyAsync(() -> request.apply(name), executor))
				.toList();
			return futures.stream().map(future -> future.orTimeout(20, TimeUnit.SECONDS).join()).toList();
		}
		finally {
			executor.shutdownNow();
		}
	}

	private static TokenUsage usageOf(Tokens tokens) {
		return new TokenUsage(tokens.promptTokens(), tokens.completionTokens(), tokens.totalTokens(),
				(tokens.cachedTokens() != null) ? tokens.cachedTokens() : 0,
				(tokens.reasoningTokens() != null) ? tokens.reasoningTokens() : 0, false);
	}

	private static String headerOf(TokenUsage usage) {
		BigDecimal cost = ModelPrices.defaults().cost(MODEL, usage);
		assertThat(cost).isNotNull();
		return "prompt=" + usage.promptTokens() + ", completion=" + usage.completionTokens() + ", total="
				+ usage.totalTokens() + ", cost=" + cost.stripTrailingZeros().toPlainString();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(FlowerController.class)
	static class WebApplication {

	}

	@RestController
	static class FlowerController {

		private final ChatClient chatClient;

		FlowerController(ChatClient.Builder chatClientBuilder) {
			this.chatClient = chatClientBuilder.build();
		}

		@GetMapping("/flowers/{name}/call")
		Mono<Map<String, Object>> call(@PathVariable String name, UsageTracker usage) {
			return Mono.fromCallable(() -> this.chatClient.prompt(name).call().content())
				.subscribeOn(Schedulers.boundedElastic())
				.map(answer -> Map.of("answer", answer, "prompt", usage.promptTokens(), "completion",
						usage.completionTokens(), "total", usage.totalTokens(), "requests",
						usage.successfulRequests()));
		}

		// Not reactive: WebFlux runs it inside the request's pipeline, where the tracker
		// is in the Reactor context but not on the thread.
		@GetMapping("/flowers/{name}/plain")
		Map<String, Object> plain(@PathVariable String name, UsageTracker usage) {
			String answer = this.chatClient.prompt(name).call().content();
			return Map.of("answer", answer, "total", usage.totalTokens());
		}

		@GetMapping(path = "/flowers/{name}/stream", produces = MediaType.TEXT_PLAIN_VALUE)
		Flux<String> stream(@PathVariable String name, UsageTracker usage) {
			return this.chatClient.prompt(name)
				.stream()
				.content()
				.concatWith(Mono
					.fromSupplier(() -> "|total=" + usage.totalTokens() + ",requests=" + usage.successfulRequests()));
		}

	}

}
