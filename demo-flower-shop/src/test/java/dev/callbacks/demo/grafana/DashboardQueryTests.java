package dev.callbacks.demo.grafana;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.callbacks.CallbackHandler;
import dev.callbacks.demo.memory.ConversationReport;
import dev.callbacks.demo.support.ExternalProgram;
import dev.callbacks.demo.usage.TokenCounts;
import dev.callbacks.demo.web.ChatReply;
import dev.callbacks.demo.web.ChatRequest;
import dev.callbacks.demo.web.StreamEvents;
import dev.callbacks.event.ChainEndEvent;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Every query of the shipped Grafana dashboard, run by a real Prometheus that scrapes the
 * demo, returns what the demo measured.
 * <p>
 * The demo answers two identical rounds of chats: a call, a stream with a tool round, and
 * the lesson's conversation under summary memory (a second client); a handler fails on
 * purpose, for the handler-error panels. The first round creates every series, the second
 * is measured: each query runs over the window between the scrapes that saw the two
 * rounds (see {@link PanelChecks}), with the template variables at "All".
 * <p>
 * The application context is this class's own (the failing handler), so the meters count
 * this test's requests only. Skipped, with one WARN line, when the {@code prometheus}
 * binary is missing ({@code PROMETHEUS_BIN} may name one), unless {@code CI=true}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.model.chat=flower-catalog", "flower-shop.token-delay=0ms",
				"flower-shop.async-handler-delay=0ms", "callbacks.file.path=target/dashboard-test-output.log" })
@AutoConfigureWebTestClient
@Import(DashboardQueryTests.FailingHandlerConfiguration.class)
class DashboardQueryTests {

	private static final Duration SCRAPE_INTERVAL = Duration.ofMillis(250);

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final String[] PREFIXES = { "llm_", "callbacks_" };

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((([a-zA-Z_:]+)[^,]*),\\s*(\\w+)\\)");

	private static Path prometheus;

	@Autowired
	private WebTestClient client;

	@LocalServerPort
	private int port;

	@BeforeAll
	static void needsPrometheus() {
		Optional<Path> binary = ExternalProgram.find("PROMETHEUS_BIN", List.of(), "prometheus");
		if (binary.isEmpty()) {
			Assumptions.abort(ExternalProgram.skipOrFail(ExternalProgram.skipLine("Grafana dashboard tests",
					"prometheus", "sudo apt-get install prometheus")));
		}
		prometheus = binary.get();
	}

	@TestFactory
	@Timeout(300)
	Stream<DynamicTest> everyPanelQueryReturnsWhatTheDemoMeasured() throws IOException {
		Dashboard dashboard = Dashboard.read();
		WebTestClient client = this.client.mutate().responseTimeout(WAIT).build();
		List<DynamicTest> tests = new ArrayList<>();
		try (PrometheusServer server = PrometheusServer.start(prometheus, "127.0.0.1:" + this.port,
				"/actuator/prometheus", SCRAPE_INTERVAL)) {
			round(client);
			Scrape first = scraped(server, client, 1);
			TokenCounts measured = round(client);
			Scrape second = scraped(server, client, 2);
			Exposition before = first.exposition();
			Exposition after = second.exposition();
			// Prometheus's increase() starts from the window's first sample: the first
			// round must have created every series the second one counts.
			assertThat(before.values().keySet()).containsAll(after.values().keySet());
			long end = second.time();
			PanelChecks.Measured meters = new PanelChecks.Measured(before, after,
					Duration.ofMillis(end - first.time()));

			tests.add(dynamicTest("the meters count what the requests' trackers counted",
					() -> trackersAgreeWithMeters(measured, meters)));
			for (Dashboard.Panel panel : dashboard.panels()) {
				for (Dashboard.Target target : panel.targets()) {
					String key = PanelChecks.key(panel, target);
					String promql = Dashboard.substitute(target.expr(), meters.window());
					Answer answer = Answer.of(() -> server.query(promql, end));
					tests.add(dynamicTest(key, () -> {
						PanelChecks.Check check = PanelChecks.all().get(key);
						assertThat(check).as("a check for %s", key).isNotNull();
						check.verify(answer.get(promql), meters);
					}));
				}
			}
			for (JsonNode variable : dashboard.queryVariables()) {
				String definition = variable.path("definition").asString("");
				Answer answer = Answer.of(() -> labelValues(server, definition));
				tests.add(dynamicTest("variable " + variable.path("name").asString(""),
						() -> assertLabelValues(answer.<List<String>>get(definition), definition, after)));
			}
		}
		return tests.stream();
	}

	// One of each kind of request, all to be seen on the dashboard.
	private TokenCounts round(WebTestClient client) {
		ChatReply chat = client.post()
			.uri("/api/chat")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(new ChatRequest("Which flowers suit a birthday? Name three, under 50 words", null))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(ChatReply.class)
			.returnResult()
			.getResponseBody();
		List<ServerSentEvent<String>> events = client.get()
			.uri((uri) -> uri.path("/api/chat/stream").queryParam("message", "Do you have roses in stock?").build())
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			})
			.getResponseBody()
			.collectList()
			.block(WAIT);
		ConversationReport conversation = client.post()
			.uri("/api/conversation?memory=summary")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(ConversationReport.class)
			.returnResult()
			.getResponseBody();
		assertThat(events).isNotEmpty();
		ServerSentEvent<String> last = events.get(events.size() - 1);
		assertThat(last.event()).isEqualTo("usage");
		TokenCounts stream = JSON.readValue(last.data(), StreamEvents.Usage.class).request();
		return add(add(chat.usage(), stream), conversation.total());
	}

	// A scrape in which Prometheus saw every series just as the demo shows it, once the
	// demo has counted the rounds' HTTP requests (their tokens are recorded as each
	// request completes, which may be just after the client has the response). The _max
	// gauges are left out: they decay over time.
	private static Scrape scraped(PrometheusServer server, WebTestClient client, int rounds) {
		AtomicReference<Scrape> scrape = new AtomicReference<>();
		await("Prometheus to scrape the demo after round " + rounds).atMost(WAIT)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> {
				Exposition shown = Exposition.parse(client.get()
					.uri("/actuator/prometheus")
					.exchange()
					.expectStatus()
					.isOk()
					.expectBody(String.class)
					.returnResult()
					.getResponseBody(), PREFIXES);
				if (shown.sum("llm_http_request_tokens_count").getOrDefault(Map.of(), 0.0) != 3 * rounds) {
					return false;
				}
				Map<Series, double[]> latest = latestSamples(server);
				Set<Long> times = new HashSet<>();
				for (Map.Entry<Series, Double> series : shown.values().entrySet()) {
					if (series.getKey().name().endsWith("_max")) {
						continue;
					}
					double[] sample = latest.get(series.getKey());
					if (sample == null || sample[1] != series.getValue()) {
						return false;
					}
					times.add((long) sample[0]);
				}
				if (times.size() != 1) {
					return false;
				}
				scrape.set(new Scrape(shown, times.iterator().next()));
				return true;
			});
		return scrape.get();
	}

	// Each series' last sample: its time in milliseconds and its value.
	private static Map<Series, double[]> latestSamples(PrometheusServer server) {
		JsonNode data = server.query("{__name__=~\"llm_.+|callbacks_.+\"}[10s]", System.currentTimeMillis());
		Map<Series, double[]> latest = new HashMap<>();
		for (JsonNode series : data.path("result")) {
			Map<String, String> labels = new TreeMap<>();
			series.path("metric")
				.properties()
				.forEach((label) -> labels.put(label.getKey(), label.getValue().asString()));
			String name = labels.remove("__name__");
			labels.remove("job");
			labels.remove("instance");
			JsonNode values = series.path("values");
			JsonNode last = values.get(values.size() - 1);
			latest.put(new Series(name, labels), new double[] { Math.round(last.get(0).asDouble() * 1000),
					Exposition.number(last.get(1).asString()) });
		}
		return latest;
	}

	private static void trackersAgreeWithMeters(TokenCounts trackers, PanelChecks.Measured meters) {
		Map<Map<String, String>, Double> tokens = meters.increase("llm_tokens_total", "type");
		Map<Map<String, String>, Double> requests = meters.increase("llm_requests_total", "outcome");
		double cost = meters.increase("llm_cost_USD_total").getOrDefault(Map.of(), 0.0);
		assertThat(trackers.promptTokens()).isPositive();
		assertThat(tokens.get(Map.of("type", "input"))).isEqualTo((double) trackers.promptTokens());
		assertThat(tokens.get(Map.of("type", "output"))).isEqualTo((double) trackers.completionTokens());
		assertThat(requests.get(Map.of("outcome", "success"))).isEqualTo((double) trackers.llmCalls());
		assertThat(requests.get(Map.of("outcome", "error"))).isZero();
		assertThat(trackers.cost().doubleValue()).isPositive().isCloseTo(cost, offset(1e-9));
		assertThat(meters.increase("callbacks_handler_errors_total").get(Map.of())).isPositive();
	}

	// label_values(metric{...}, label), as Grafana asks Prometheus for it.
	private static List<String> labelValues(PrometheusServer server, String definition) {
		Matcher query = labelValuesQuery(definition);
		return server.labelValues(query.group(3), Dashboard.substitute(query.group(1), Duration.ZERO));
	}

	// What the demo showed for that label on that metric.
	private static void assertLabelValues(List<String> values, String definition, Exposition after) {
		Matcher query = labelValuesQuery(definition);
		Set<String> expected = new HashSet<>();
		after.values().keySet().forEach((series) -> {
			String value = series.labels().get(query.group(3));
			if (series.name().equals(query.group(2)) && value != null) {
				expected.add(value);
			}
		});
		assertThat(expected).isNotEmpty();
		assertThat(values).containsExactlyInAnyOrderElementsOf(expected);
	}

	private static Matcher labelValuesQuery(String definition) {
		Matcher matcher = LABEL_VALUES.matcher(definition);
		assertThat(matcher.matches()).as("a label_values() query: %s", definition).isTrue();
		return matcher;
	}

	private static TokenCounts add(TokenCounts a, TokenCounts b) {
		return new TokenCounts(a.promptTokens() + b.promptTokens(), a.completionTokens() + b.completionTokens(),
				a.totalTokens() + b.totalTokens(), a.llmCalls() + b.llmCalls(), a.cost().add(b.cost()));
	}

	/**
	 * What the demo showed, and when Prometheus scraped it.
	 *
	 * @param exposition the demo's {@code llm_*} and {@code callbacks_*} series
	 * @param time the scrape's time, in milliseconds since the epoch
	 */
	private record Scrape(Exposition exposition, long time) {
	}

	/**
	 * What Prometheus answered, or why it did not; asked while it runs, asserted on by
	 * the dynamic tests after it stopped.
	 */
	private record Answer(@Nullable Object value, @Nullable RuntimeException failure) {

		static Answer of(Supplier<?> question) {
			try {
				return new Answer(question.get(), null);
			}
			catch (RuntimeException ex) {
				return new Answer(null, ex);
			}
		}

		@SuppressWarnings("unchecked")
		<T> T get(String query) {
			if (this.failure != null) {
				throw new AssertionError("Prometheus could not answer " + query, this.failure);
			}
			return (T) this.value;
		}

	}

	/** A handler that fails on purpose, for the handler-error panels. */
	static class FailingHandler implements CallbackHandler {

		@Override
		public void onChainEnd(ChainEndEvent event) {
			throw new PurposefulFailure();
		}

	}

	// Without a stack trace: the library logs every handler failure, and these are
	// expected.
	static class PurposefulFailure extends IllegalStateException {

		PurposefulFailure() {
			super("Failing on purpose: the dashboard shows handler errors");
			setStackTrace(new StackTraceElement[0]);
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class FailingHandlerConfiguration {

		@Bean
		FailingHandler failingHandler() {
			return new FailingHandler();
		}

	}

}
