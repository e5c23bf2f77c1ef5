package dev.callbacks.openai;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.openai.errors.RateLimitException;
import dev.callbacks.CallbackManager;
import dev.callbacks.ai.CallbackAdvisors;
import dev.callbacks.metrics.GenAiMeters;
import dev.callbacks.metrics.LlmMeters;
import dev.callbacks.metrics.MicrometerCallbackObserver;
import dev.callbacks.metrics.ModelTags;
import dev.callbacks.metrics.OtelGenAiMeterObserver;
import dev.callbacks.metrics.ToolTags;
import dev.callbacks.test.OpenAiMockServer;
import dev.callbacks.test.OpenAiMockServer.Reply;
import dev.callbacks.test.OpenAiMockServer.ToolCall;
import dev.callbacks.test.OpenAiMockServer.Tokens;
import dev.callbacks.test.OtlpReceiver;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.test.StepVerifier;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.tool.annotation.Tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The OpenTelemetry GenAI instruments and the tool meters of Spring AI's real OpenAI
 * client talking to a local server: the GenAI instruments as an OTLP receiver gets them
 * from Micrometer's OTLP registry (OTLP/HTTP, protobuf), decoded.
 */
@Timeout(60)
class OpenAiOtlpExportTests {

	private static final String MODEL = OpenAiMockServer.RESPONSE_MODEL;

	private final OpenAiMockServer server = OpenAiMockServer.start();

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
		this.server.close();
	}

	@Test
	void theGenAiInstrumentsReachAnOtlpReceiverAsTheChatsProducedThem() throws Exception {
		OtlpReceiver receiver = new OtlpReceiver();
		this.resources.add(receiver);
		OtlpMeterRegistry otlp = new OtlpMeterRegistry(receiver.config(), Clock.SYSTEM);
		// naming=otel: the llm round meters are left to the GenAI instruments; the cost
		// has no GenAI counterpart and stays.
		ChatClient client = ChatClient.builder(this.server.chatModel())
			.defaultAdvisors(CallbackAdvisors.of(CallbackManager.builder()
				.observers(List.of(
						new MicrometerCallbackObserver(otlp, null, Set.of(), run -> null, ModelTags.defaults(),
								ToolTags.defaults(), false),
						new OtelGenAiMeterObserver(otlp, ModelTags.defaults(), true)))
				.build()))
			.build();
		this.server.enqueue(Reply.text("Roses are red.").withUsage(Tokens.of(120, 30)),
				Reply.tokens("Violets", " are", " blue.")
					.withUsage(Tokens.of(80, 12))
					.withChunkDelay(Duration.ofMillis(20)),
				Reply.rateLimited());

		assertThat(client.prompt("A poem?").call().content()).isEqualTo("Roses are red.");
		StepVerifier.create(client.prompt("Another one?").stream().content())
			.expectNext("Violets", " are", " blue.")
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThatExceptionOfType(RateLimitException.class)
			.isThrownBy(() -> client.prompt("And one more?").call().content());
		// Closing publishes once more: everything recorded so far, cumulative.
		otlp.close();

		Map<String, Metric> metrics = receiver.lastExport();
		assertThat(metrics).containsKeys(GenAiMeters.TOKEN_USAGE, GenAiMeters.OPERATION_DURATION,
				GenAiMeters.TIME_TO_FIRST_CHUNK, LlmMeters.COST);
		assertThat(metrics).doesNotContainKeys(LlmMeters.TOKENS, LlmMeters.REQUESTS, LlmMeters.TIME_TO_FIRST_TOKEN);

		Metric tokens = metrics.get(GenAiMeters.TOKEN_USAGE);
		assertThat(tokens.getUnit()).isEqualTo("{token}");
		assertThat(tokens.hasHistogram()).isTrue();
		Map<String, String> base = Map.of("gen_ai.operation.name", "chat", "gen_ai.provider.name", "openai",
				"gen_ai.request.model", OpenAiMockServer.MODEL, "gen_ai.response.model", MODEL);
		HistogramDataPoint input = OtlpReceiver.point(tokens, with(base, "gen_ai.token.type", "input"));
		HistogramDataPoint output = OtlpReceiver.point(tokens, with(base, "gen_ai.token.type", "output"));
		assertThat(tokens.getHistogram().getDataPointsList()).hasSize(2);
		assertThat(input.getCount()).isEqualTo(2);
		assertThat(input.getSum()).isEqualTo(200);
		assertThat(output.getCount()).isEqualTo(2);
		assertThat(output.getSum()).isEqualTo(42);
		assertThat(input.getExplicitBoundsList()).containsExactly(1d, 4d, 16d, 64d, 256d, 1024d, 4096d, 16384d, 65536d,
				262144d, 1048576d, 4194304d, 16777216d, 67108864d);
		// 120 and 80 both fall in (64, 256].
		assertThat(input.getBucketCounts(4)).isEqualTo(2);

		Metric duration = metrics.get(GenAiMeters.OPERATION_DURATION);
		assertThat(duration.getUnit()).isEqualTo("s");
		assertThat(duration.getHistogram().getDataPointsList()).hasSize(2);
		HistogramDataPoint succeeded = OtlpReceiver.point(duration, base);
		assertThat(succeeded.getCount()).isEqualTo(2);
		assertThat(succeeded.getSum()).isPositive();
		assertThat(succeeded.getExplicitBoundsList()).startsWith(0.01, 0.02, 0.04).endsWith(81.92);
		HistogramDataPoint failed = OtlpReceiver.point(duration, with(base, "error.type", "error"));
		assertThat(failed.getCount()).isOne();

		Metric firstChunk = metrics.get(GenAiMeters.TIME_TO_FIRST_CHUNK);
		assertThat(firstChunk.getUnit()).isEqualTo("s");
		HistogramDataPoint stream = OtlpReceiver.point(firstChunk, base);
		assertThat(firstChunk.getHistogram().getDataPointsList()).hasSize(1);
		assertThat(stream.getCount()).isOne();
		assertThat(stream.getSum()).isPositive().isLessThanOrEqualTo(succeeded.getSum());
	}

	@Test
	void toolMetersOfRealOpenAiToolRounds() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		ChatClient client = ChatClient.builder(this.server.chatModel())
			.defaultAdvisors(CallbackAdvisors
				.of(CallbackManager.builder().observers(List.of(new MicrometerCallbackObserver(registry))).build()))
			.build();
		this.server.enqueue(
				Reply.toolCall("call_1", "currentWeather", "{\"city\":\"Paris\"}").withUsage(Tokens.of(50, 10)),
				Reply.text("Sunny in Paris.").withUsage(Tokens.of(70, 5)),
				// One round asking for two tools: its tokens belong to neither alone.
				Reply
					.toolCalls(new ToolCall("call_2", "currentWeather", "{\"city\":\"Rome\"}"),
							new ToolCall("call_3", "currentWeather", "{\"city\":\"Oslo\"}"))
					.withUsage(Tokens.of(55, 20)),
				Reply.tokens("Sunny", " in", " both.").withUsage(Tokens.of(90, 4)));

		assertThat(client.prompt("Weather in Paris?").tools(new WeatherTools()).call().content())
			.isEqualTo("Sunny in Paris.");
		StepVerifier.create(client.prompt("Rome and Oslo?").tools(new WeatherTools()).stream().content())
			.expectNext("Sunny", " in", " both.")
			.expectComplete()
			.verify(Duration.ofSeconds(10));

		assertThat(registry.get(LlmMeters.TOOL_DURATION)
			.tag("tool", "currentWeather")
			.tag("client", CallbackManager.DEFAULT_CHAIN_NAME)
			.tag("outcome", "success")
			.timer()
			.count()).isEqualTo(3);
		assertThat(registry.get(LlmMeters.TOOL_TOKENS)
			.tag("tool", "currentWeather")
			.tag("type", "input")
			.counter()
			.count()).isEqualTo(50);
		assertThat(registry.get(LlmMeters.TOOL_TOKENS)
			.tag("tool", "currentWeather")
			.tag("type", "output")
			.counter()
			.count()).isEqualTo(10);
	}

	private static Map<String, String> with(Map<String, String> base, String key, String value) {
		Map<String, String> attributes = new TreeMap<>(base);
		attributes.put(key, value);
		return attributes;
	}

	static class WeatherTools {

		@Tool(description = "Get the current weather in a city")
		String currentWeather(String city) {
			return "Sunny, 24°C in " + city;
		}

	}

}
