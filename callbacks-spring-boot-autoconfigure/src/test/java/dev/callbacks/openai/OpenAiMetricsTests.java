package dev.callbacks.openai;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.openai.errors.RateLimitException;
import dev.callbacks.CallbackManager;
import dev.callbacks.Callbacks;
import dev.callbacks.usage.ModelPrices;
import dev.callbacks.usage.TokenUsage;
import dev.callbacks.metrics.MicrometerCallbackObserver;
import dev.callbacks.test.OpenAiMockServer;
import dev.callbacks.test.OpenAiMockServer.Reply;
import dev.callbacks.test.OpenAiMockServer.Tokens;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The {@code llm.*} meters of a real Spring Boot application: the whole
 * auto-configuration chain (Boot's metrics, observation, Prometheus export and actuator;
 * Spring AI's OpenAI, tool calling, chat client and chat observation; ours), a WebFlux
 * server for the actuator endpoints, and Spring AI's real OpenAI client talking to a
 * local server. Each test uses its own {@code client} tag, so that the counters of one
 * test do not mix with another's.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive",
				"management.endpoints.web.exposure.include=metrics,prometheus" })
@AutoConfigureWebTestClient
class OpenAiMetricsTests {

	private static final OpenAiMockServer server = OpenAiMockServer.start();

	private static final String MODEL = OpenAiMockServer.RESPONSE_MODEL;

	// A Prometheus sample line: name, optional labels, value, optional timestamp.
	private static final Pattern SAMPLE = Pattern
		.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (-?[0-9.]+(?:[eE][-+]?[0-9]+)?|NaN|[+-]Inf)( -?[0-9]+)?");

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"(,|$)");

	@Autowired
	private ApplicationContext context;

	@Autowired
	private ChatClient.Builder chatClientBuilder;

	@Autowired
	private MeterRegistry registry;

	@Autowired
	private PrometheusMeterRegistry prometheus;

	@Autowired
	private WebTestClient webTestClient;

	@DynamicPropertySource
	static void openAiServer(DynamicPropertyRegistry properties) {
		for (String property : server.springBootProperties()) {
			int equals = property.indexOf('=');
			properties.add(property.substring(0, equals), () -> property.substring(equals + 1));
		}
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void theMetricsAutoConfigurationMatchedAfterTheMeterRegistry() {
		// @ConditionalOnBean(MeterRegistry.class) is only right when evaluated after
		// Boot's registry auto-configs.
		assertThat(this.context.getBeansOfType(MicrometerCallbackObserver.class)).hasSize(1);
		assertThat(this.context.getBeansOfType(CallbackManager.class)).hasSize(1);
		assertThat(this.context.getBeansOfType(PrometheusMeterRegistry.class)).hasSize(1);
	}

	@Test
	void callAndStreamMetersAreExactlyWhatTheServerSent() {
		Tokens callUsage = Tokens.of(120, 30).withCachedTokens(64).withReasoningTokens(10);
		Tokens streamUsage = Tokens.of(80, 12);
		server.enqueue(Reply.text("Roses are red.").withUsage(callUsage),
				Reply.tokens("Violets", " are", " blue.").withUsage(streamUsage).withChunkDelay(Duration.ofMillis(60)));
		// The auto-configured builder: the global callbacks (and with them the meters)
		// come with it.
		ChatClient client = this.chatClientBuilder.build();
		double genAiInputBefore = genAiTokens("input");
		double genAiOutputBefore = genAiTokens("output");

		assertThat(client.prompt("A poem?").call().content()).isEqualTo("Roses are red.");
		StepVerifier.create(client.prompt("Another one?").stream().content())
			.expectNext("Violets", " are", " blue.")
			.expectComplete()
			.verify(Duration.ofSeconds(10));

		String clientTag = CallbackManager.DEFAULT_CHAIN_NAME;
		assertThat(counter("llm.tokens", clientTag, "type", "input").count()).isEqualTo(200);
		assertThat(counter("llm.tokens", clientTag, "type", "output").count()).isEqualTo(42);
		assertThat(counter("llm.tokens", clientTag, "type", "input").getId().getBaseUnit()).isEqualTo("tokens");
		assertThat(counter("llm.requests", clientTag, "outcome", "success").count()).isEqualTo(2);
		assertThat(counter("llm.requests", clientTag, "outcome", "error").count()).isZero();
		ModelPrices prices = ModelPrices.defaults();
		BigDecimal callCost = prices.cost(MODEL, new TokenUsage(120, 30, 150, 64, 10, false));
		BigDecimal streamCost = prices.cost(MODEL, TokenUsage.of(80, 12));
		assertThat(callCost).as("%s is priced through the gpt-4o-mini prefix", MODEL).isNotNull().isPositive();
		assertThat(streamCost).isNotNull().isPositive();
		Counter cost = this.registry.get("llm.cost").tag("model", MODEL).tag("client", clientTag).counter();
		assertThat(cost.getId().getBaseUnit()).isEqualTo("USD");
		assertThat(cost.count()).isCloseTo(callCost.add(streamCost).doubleValue(), within(1e-12));
		// Streaming only: one sample, and the first token came one chunk delay after the
		// role-only chunk.
		Timer timeToFirstToken = this.registry.get("llm.time.to.first.token")
			.tag("model", MODEL)
			.tag("client", clientTag)
			.timer();
		assertThat(timeToFirstToken.count()).isOne();
		assertThat(timeToFirstToken.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(40);
		// The tokens of every round trip carry only fixed, low-cardinality tags.
		assertThat(this.registry.find("llm.tokens").counters())
			.allSatisfy(counter -> assertThat(counter.getId().getTags()).extracting(tag -> tag.getKey())
				.containsExactlyInAnyOrder("type", "model", "client"));

		// Spring AI's own meter is recorded alongside ours, and agrees with it. (Ours are
		// recorded before the stream completes; Spring AI's observation of a stream may
		// stop just after.)
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(genAiTokens("input") - genAiInputBefore).isEqualTo(200);
			assertThat(genAiTokens("output") - genAiOutputBefore).isEqualTo(42);
		});

		String scrape = this.prometheus.scrape();
		assertThat(scrape).contains("llm_tokens_total{").contains("gen_ai_client_token_usage");
		assertThat(
				sampleValue(scrape, "llm_tokens_total", Map.of("type", "input", "model", MODEL, "client", clientTag)))
			.isEqualTo(200);
		assertThat(
				sampleValue(scrape, "llm_tokens_total", Map.of("type", "output", "model", MODEL, "client", clientTag)))
			.isEqualTo(42);
		assertWellFormedExposition(scrape);
	}

	@Test
	void actuatorEndpointsExposeTheMeters() {
		server.enqueue(Reply.text("Hello.").withUsage(Tokens.of(11, 2)));
		this.chatClientBuilder.build()
			.prompt("Hi")
			.advisors(Callbacks.handlers().name("metrics-endpoint"))
			.call()
			.content();

		this.webTestClient.get()
			.uri("/actuator/metrics/llm.tokens?tag=client:metrics-endpoint&tag=type:input")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.baseUnit")
			.isEqualTo("tokens")
			.jsonPath("$.measurements[0].value")
			.isEqualTo(11.0);
		String scrape = this.webTestClient.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(scrape).isNotNull().contains("gen_ai_client_token_usage");
		assertThat(sampleValue(scrape, "llm_tokens_total",
				Map.of("type", "output", "model", MODEL, "client", "metrics-endpoint")))
			.isEqualTo(2);
		assertThat(sampleValue(scrape, "llm_requests_total",
				Map.of("outcome", "success", "model", MODEL, "client", "metrics-endpoint")))
			.isEqualTo(1);
		assertWellFormedExposition(scrape);
	}

	@Test
	void rateLimitedCallAndStreamAreErrorOutcomes() {
		server.enqueue(Reply.text("Hello").withUsage(Tokens.of(5, 1)), Reply.rateLimited(), Reply.rateLimited());
		ChatClient client = this.chatClientBuilder.build();
		String clientTag = "metrics-errors";
		client.prompt("Hi").advisors(Callbacks.handlers().name(clientTag)).call().content();

		assertThatExceptionOfType(RateLimitException.class)
			.isThrownBy(() -> client.prompt("Hi").advisors(Callbacks.handlers().name(clientTag)).call().content());
		StepVerifier.create(client.prompt("Hi").advisors(Callbacks.handlers().name(clientTag)).stream().content())
			.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(CompletionException.class)
				.cause()
				.isInstanceOf(RateLimitException.class))
			.verify(Duration.ofSeconds(10));

		// No answer, so the failed rounds are tagged with the model that answered this
		// model name before, which lines them up with the successes.
		assertThat(this.registry.get("llm.requests")
			.tag("client", clientTag)
			.tag("outcome", "error")
			.tag("model", OpenAiMockServer.RESPONSE_MODEL)
			.counter()
			.count()).isEqualTo(2);
		assertThat(this.registry.get("llm.requests")
			.tag("client", clientTag)
			.tag("outcome", "success")
			.tag("model", OpenAiMockServer.RESPONSE_MODEL)
			.counter()
			.count()).isOne();
		assertThat(this.registry.find("llm.requests").tag("model", OpenAiMockServer.MODEL).counters()).isEmpty();
		assertWellFormedExposition(this.prometheus.scrape());
	}

	private double genAiTokens(String type) {
		Counter counter = this.registry.find("gen_ai.client.token.usage")
			.tag("gen_ai.response.model", MODEL)
			.tag("gen_ai.token.type", type)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private Counter counter(String name, String client, String key, String value) {
		return this.registry.get(name).tag("model", MODEL).tag("client", client).tag(key, value).counter();
	}

	/**
	 * The value of the one sample of {@code name} whose labels are exactly
	 * {@code labels}.
	 */
	private static double sampleValue(String scrape, String name, Map<String, String> labels) {
		Double found = null;
		for (String line : scrape.split("\n")) {
			Matcher sample = SAMPLE.matcher(line);
			if (line.startsWith("#") || !sample.matches() || !sample.group(1).equals(name)) {
				continue;
			}
			if (labels(sample.group(2)).equals(labels)) {
				assertThat(found).as("one %s sample with labels %s", name, labels).isNull();
				found = Double.parseDouble(sample.group(3));
			}
		}
		assertThat(found).as("a %s sample with labels %s", name, labels).isNotNull();
		return found;
	}

	/**
	 * The text exposition parses: every line is a comment or a sample, no metric family
	 * is declared twice, every sample belongs to a declared family, and all samples of
	 * one {@code llm_} name have the same label names.
	 */
	private static void assertWellFormedExposition(String scrape) {
		Set<String> typed = new HashSet<>();
		Set<String> helped = new HashSet<>();
		Map<String, Set<String>> labelNames = new HashMap<>();
		Set<String> llmFamilies = new TreeSet<>();
		for (String line : scrape.split("\n")) {
			if (line.isBlank() || line.equals("# EOF")) {
				continue;
			}
			if (line.startsWith("# TYPE ")) {
				String family = line.split(" ")[2];
				assertThat(typed.add(family)).as("one # TYPE line for %s", family).isTrue();
				if (family.startsWith("llm_")) {
					llmFamilies.add(family);
				}
				continue;
			}
			if (line.startsWith("# HELP ")) {
				String family = line.split(" ")[2];
				assertThat(helped.add(family)).as("one # HELP line for %s", family).isTrue();
				continue;
			}
			assertThat(line).as("a comment").doesNotStartWith("#");
			Matcher sample = SAMPLE.matcher(line);
			assertThat(sample.matches()).as("a sample line: %s", line).isTrue();
			String name = sample.group(1);
			assertThat(typed).as("the family of %s is declared", name)
				.anySatisfy(family -> assertThat(name)
					.matches(Pattern.quote(family) + "(_total|_count|_sum|_max|_bucket|_created|_info)?"));
			if (name.startsWith("llm_")) {
				Set<String> names = labels(sample.group(2)).keySet();
				Set<String> first = labelNames.putIfAbsent(name, names);
				if (first != null) {
					assertThat(names).as("label names of %s", name).isEqualTo(first);
				}
			}
		}
		assertThat(llmFamilies).as("our meters are exported").isNotEmpty();
		assertThat(typed).anySatisfy(family -> assertThat(family).startsWith("gen_ai_client_token_usage"));
	}

	private static Map<String, String> labels(String labels) {
		Map<String, String> parsed = new HashMap<>();
		if (labels == null || labels.isEmpty()) {
			return parsed;
		}
		Matcher label = LABEL.matcher(labels);
		int end = 0;
		while (label.find()) {
			assertThat(label.start()).as("labels %s", labels).isEqualTo(end);
			assertThat(parsed.put(label.group(1), label.group(2))).as("label %s once", label.group(1)).isNull();
			end = label.end();
		}
		assertThat(end).as("labels %s parse to the end", labels).isEqualTo(labels.length());
		return parsed;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class MetricsApplication {

	}

}
