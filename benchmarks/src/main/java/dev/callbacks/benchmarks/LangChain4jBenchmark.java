package dev.callbacks.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The peer: LangChain4j 1.19 ({@code langchain4j-core}) on its own in-memory models,
 * without listeners ({@code lc4j_bare}) and with a listener recording
 * {@code gen_ai.client.token.usage} ({@code lc4j_metrics}). The stream's consumer counts
 * tokens, as the one-handler configurations of ours do.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xms2g", "-Xmx2g" })
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LangChain4jBenchmark {

	@Param({ "lc4j_bare", "lc4j_metrics" })
	public String config;

	@Param({ "1000" })
	public int tokens;

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private LangChain4jModels.Chat chat;

	private LangChain4jModels.Streaming streaming;

	private final CountingHandler handler = new CountingHandler();

	@Setup(Level.Trial)
	public void setUp() {
		List<ChatModelListener> listeners = switch (this.config) {
			case "lc4j_bare" -> List.of();
			case "lc4j_metrics" -> List.of(new LangChain4jModels.TokenMetricsListener(this.registry));
			default -> throw new IllegalArgumentException(this.config);
		};
		this.chat = new LangChain4jModels.Chat(listeners);
		this.streaming = new LangChain4jModels.Streaming(
				new ZeroLatencyChatModel(this.tokens, ObservationRegistry.NOOP), listeners);
		call();
		stream();
		ChatClientBenchmark.require(this.handler.tokens == this.tokens, "handler saw " + this.handler.tokens);
		if (!listeners.isEmpty()) {
			double output = this.registry.find("gen_ai.client.token.usage")
				.tag("gen_ai.token.type", "output")
				.summaries()
				.stream()
				.mapToDouble(DistributionSummary::totalAmount)
				.sum();
			ChatClientBenchmark.require(output == 6 + this.tokens, "gen_ai.client.token.usage{output} = " + output);
		}
	}

	@Benchmark
	public String call() {
		return this.chat.chat(request()).aiMessage().text();
	}

	@Benchmark
	public ChatResponse stream() {
		this.handler.complete = null;
		this.streaming.chat(request(), this.handler);
		return this.handler.complete;
	}

	private static ChatRequest request() {
		return ChatRequest.builder().messages(UserMessage.from(ChatClientBenchmark.QUESTION)).build();
	}

	static final class CountingHandler implements StreamingChatResponseHandler {

		long tokens;

		ChatResponse complete;

		@Override
		public void onPartialResponse(String partialResponse) {
			this.tokens++;
		}

		@Override
		public void onCompleteResponse(ChatResponse completeResponse) {
			this.complete = completeResponse;
		}

		@Override
		public void onError(Throwable error) {
			throw new IllegalStateException(error);
		}

	}

}
