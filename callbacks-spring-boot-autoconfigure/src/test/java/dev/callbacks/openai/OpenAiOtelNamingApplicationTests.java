package dev.callbacks.openai;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import dev.callbacks.metrics.GenAiMeters;
import dev.callbacks.metrics.LlmMeters;
import dev.callbacks.metrics.OtelGenAiMeterObserver;
import dev.callbacks.test.OpenAiMockServer;
import dev.callbacks.test.OpenAiMockServer.Reply;
import dev.callbacks.test.OpenAiMockServer.Tokens;
import dev.callbacks.test.OtlpReceiver;
import io.micrometer.core.instrument.Clock;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.observation.ChatModelMeterObservationHandler;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code callbacks.metrics.naming=otel} in a real Spring Boot application with an OTLP
 * registry beside the auto-configured ones (Boot's OTLP export auto-configuration needs
 * its OpenTelemetry module, which this module does not have): Spring AI's chat model
 * observation records {@code gen_ai.client.token.usage} itself, so the library leaves
 * that instrument to it and the export holds it once, as Spring AI's counter; the library
 * adds the duration and first-chunk histograms Spring AI does not record, and no
 * {@code llm.tokens}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE, properties = "callbacks.metrics.naming=otel")
@Timeout(60)
class OpenAiOtelNamingApplicationTests {

	private static final OpenAiMockServer server = OpenAiMockServer.start();

	private static final OtlpReceiver receiver = startReceiver();

	@Autowired
	private ChatClient.Builder chatClientBuilder;

	@Autowired
	private OtlpMeterRegistry otlp;

	@Autowired
	private OtelGenAiMeterObserver otel;

	@Autowired
	private ChatModelMeterObservationHandler springAiMeters;

	@DynamicPropertySource
	static void servers(DynamicPropertyRegistry properties) {
		for (String property : server.springBootProperties()) {
			int equals = property.indexOf('=');
			properties.add(property.substring(0, equals), () -> property.substring(equals + 1));
		}
	}

	@AfterAll
	static void stopServers() {
		server.close();
		receiver.close();
	}

	@Test
	void eachGenAiInstrumentIsExportedOnceAndTokenUsageIsSpringAis() throws Exception {
		server.enqueue(Reply.text("Roses are red.").withUsage(Tokens.of(120, 30)),
				Reply.text("Violets are blue.").withUsage(Tokens.of(80, 12)));
		ChatClient client = this.chatClientBuilder.build();

		client.prompt("A poem?").call().content();
		client.prompt("Another one?").call().content();
		this.otlp.close();

		assertThat(this.otel.recordsTokenUsage()).isFalse();
		Map<String, Metric> metrics = receiver.lastExport();
		assertThat(metrics).doesNotContainKeys(LlmMeters.TOKENS, LlmMeters.REQUESTS);

		// Spring AI's counter (a sum), with its attributes: not a histogram of ours too.
		Metric tokens = metrics.get(GenAiMeters.TOKEN_USAGE);
		assertThat(tokens.hasSum()).isTrue();
		assertThat(tokens.hasHistogram()).isFalse();
		assertThat(sum(tokens, "input")).isEqualTo(200);
		assertThat(sum(tokens, "output")).isEqualTo(42);

		Metric duration = metrics.get(GenAiMeters.OPERATION_DURATION);
		assertThat(duration.getUnit()).isEqualTo("s");
		HistogramDataPoint rounds = OtlpReceiver.point(duration,
				Map.of("gen_ai.operation.name", "chat", "gen_ai.provider.name", "openai", "gen_ai.request.model",
						OpenAiMockServer.MODEL, "gen_ai.response.model", OpenAiMockServer.RESPONSE_MODEL));
		assertThat(rounds.getCount()).isEqualTo(2);
		// Calls only: no first-chunk histogram.
		assertThat(metrics).doesNotContainKey(GenAiMeters.TIME_TO_FIRST_CHUNK);
	}

	private static double sum(Metric tokens, String type) {
		return tokens.getSum()
			.getDataPointsList()
			.stream()
			.filter(p -> type.equals(OtlpReceiver.attributes(p.getAttributesList()).get("gen_ai.token.type")))
			.mapToDouble(NumberDataPoint::getAsDouble)
			.sum();
	}

	private static OtlpReceiver startReceiver() {
		try {
			return new OtlpReceiver();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class OtelNamingApplication {

		@Bean
		OtlpMeterRegistry otlpMeterRegistry() {
			return new OtlpMeterRegistry(receiver.config(), Clock.SYSTEM);
		}

	}

}
