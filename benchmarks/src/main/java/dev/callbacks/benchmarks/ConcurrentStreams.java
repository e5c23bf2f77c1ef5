package dev.callbacks.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.callbacks.UsageTracker;
import io.micrometer.core.instrument.Counter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * Many concurrent streams, each with its own per-request {@link UsageTracker} (detached,
 * in the Reactor context under {@link UsageTracker#CONTEXT_KEY}, as the WebFlux filter
 * does). A plain {@code main}, not JMH: the measure is one wall-clock run of N streams
 * all in flight at once, plus heap after forced GCs.
 * <p>
 * All N streams are subscribed first and held at a gate in the model (so they really are
 * concurrent: every chain and LLM run exists at once); then the gate opens and the model
 * emits every stream's chunks. Reported: time to subscribe N, time from gate to the last
 * completion (token throughput), heap before, with all N in flight, after completion with
 * the trackers still held, and after dropping them; and whether every tracker counted
 * exactly its request's tokens (and the {@code llm.tokens} meter the sum).
 * <p>
 * Run one JVM per configuration (the starter registers its context-propagation accessors
 * once the first tracker is made, for the rest of the JVM's life):
 * {@code java -Xmx4g -cp benchmarks.jar dev.callbacks.benchmarks.ConcurrentStreams config=starter_3h
 * streams=1000,10000 tokens=1000 out=results/concurrent.jsonl}.
 */
public final class ConcurrentStreams {

	private ConcurrentStreams() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) {
			int eq = arg.indexOf('=');
			options.put(arg.substring(0, eq), arg.substring(eq + 1));
		}
		Config config = Config.of(options.getOrDefault("config", "starter_3h"));
		int tokens = Integer.parseInt(options.getOrDefault("tokens", "1000"));
		int[] counts = Arrays.stream(options.getOrDefault("streams", "1000,10000").split(","))
			.mapToInt(Integer::parseInt)
			.toArray();
		String out = options.get("out");

		GatedModel[] gate = new GatedModel[1];
		Config.Setup setup = new Config.Setup(config, tokens, model -> {
			gate[0] = new GatedModel((ZeroLatencyChatModel) model);
			return gate[0];
		});
		GatedModel gated = gate[0];
		// Warm-up: JIT-compile the whole path before measuring.
		for (int i = 0; i < 3; i++) {
			round(setup, gated, 1000, tokens, false);
		}
		for (int n : counts) {
			Result result = round(setup, gated, n, tokens, true);
			String line = result.toJson(config, tokens);
			System.out.println(line);
			if (out != null) {
				Files.writeString(Path.of(out), line + System.lineSeparator(), StandardCharsets.UTF_8,
						StandardOpenOption.CREATE, StandardOpenOption.APPEND);
			}
			if (!result.exact) {
				throw new IllegalStateException("inexact trackers: " + result.problem);
			}
		}
	}

	private static Result round(Config.Setup setup, GatedModel gated, int n, int tokens, boolean measure)
			throws InterruptedException {
		Result result = new Result(n);
		double metered = outputTokens(setup);
		result.heapBefore = measure ? usedHeapAfterGc() : 0;
		gated.close();
		UsageTracker[] trackers = new UsageTracker[n];
		CountDownLatch done = new CountDownLatch(n);
		AtomicReference<Throwable> failure = new AtomicReference<>();
		long[] chunksSeen = new long[1];
		long start = System.nanoTime();
		for (int i = 0; i < n; i++) {
			// Without the starter there is no tracker: the same context entry, a plain
			// object, so that the contexts are the same size.
			UsageTracker tracker = setup.config.starter ? UsageTracker.detached(null) : null;
			trackers[i] = tracker;
			Object inContext = (tracker != null) ? tracker : new Object();
			setup.client.prompt()
				.user(ChatClientBenchmark.QUESTION)
				.stream()
				.content()
				.count()
				.contextWrite(context -> context.put(UsageTracker.CONTEXT_KEY, inContext))
				.subscribe(count -> {
					synchronized (chunksSeen) {
						chunksSeen[0] += count;
					}
				}, ex -> {
					failure.compareAndSet(null, ex);
					done.countDown();
				}, done::countDown);
		}
		long subscribed = System.nanoTime();
		result.subscribeMillis = (subscribed - start) / 1e6;
		if (measure) {
			result.heapInFlight = usedHeapAfterGc();
		}
		long open = System.nanoTime();
		gated.open();
		if (!done.await(10, TimeUnit.MINUTES)) {
			throw new IllegalStateException(done.getCount() + " of " + n + " streams did not complete");
		}
		long end = System.nanoTime();
		if (failure.get() != null) {
			throw new IllegalStateException("a stream failed", failure.get());
		}
		result.streamMillis = (end - open) / 1e6;
		result.totalMillis = (end - start) / 1e6 - (open - subscribed) / 1e6;
		result.tokensPerSecond = (double) n * tokens / ((end - open) / 1e9);
		result.exact = chunksSeen[0] == (long) n * tokens;
		if (!result.exact) {
			result.problem = "subscribers saw " + chunksSeen[0] + " tokens";
		}
		if (setup.config.tracker) {
			long expectedTotal = ZeroLatencyChatModel.PROMPT_TOKENS + tokens;
			int wrong = 0;
			for (UsageTracker tracker : trackers) {
				if (tracker.promptTokens() != ZeroLatencyChatModel.PROMPT_TOKENS || tracker.completionTokens() != tokens
						|| tracker.totalTokens() != expectedTotal || tracker.successfulRequests() != 1
						|| tracker.failedRequests() != 0) {
					wrong++;
				}
			}
			result.trackersChecked = n;
			if (wrong > 0) {
				result.exact = false;
				result.problem = wrong + " of " + n + " trackers inexact";
			}
		}
		if (setup.config.meters) {
			double meteredNow = outputTokens(setup) - metered;
			if (meteredNow != (double) n * tokens) {
				result.exact = false;
				result.problem = "llm.tokens{type=output} grew by " + meteredNow + ", expected " + (long) n * tokens;
			}
		}
		if (measure) {
			result.heapDoneTrackersHeld = usedHeapAfterGc();
		}
		Arrays.fill(trackers, null);
		trackers = null;
		if (measure) {
			result.heapAfter = usedHeapAfterGc();
		}
		return result;
	}

	private static double outputTokens(Config.Setup setup) {
		return setup.meterRegistry.find("llm.tokens")
			.tag("type", "output")
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

	private static long usedHeapAfterGc() throws InterruptedException {
		long used = Long.MAX_VALUE;
		for (int i = 0; i < 3; i++) {
			System.gc();
			Thread.sleep(100);
			used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
		}
		return used;
	}

	/**
	 * The zero-latency model, each stream held until {@link #open()}, so that all of a
	 * round are in flight.
	 */
	static class GatedModel implements ChatModel {

		private final ZeroLatencyChatModel delegate;

		private volatile Sinks.Empty<Void> gate = Sinks.empty();

		GatedModel(ZeroLatencyChatModel delegate) {
			this.delegate = delegate;
		}

		void close() {
			this.gate = Sinks.empty();
		}

		void open() {
			this.gate.tryEmitEmpty();
		}

		@Override
		public ChatOptions getOptions() {
			return this.delegate.getOptions();
		}

		@Override
		public ChatResponse call(Prompt prompt) {
			return this.delegate.call(prompt);
		}

		@Override
		public Flux<ChatResponse> stream(Prompt prompt) {
			return this.gate.asMono().thenMany(this.delegate.stream(prompt));
		}

	}

	static final class Result {

		final int streams;

		long heapBefore;

		long heapInFlight;

		long heapDoneTrackersHeld;

		long heapAfter;

		double subscribeMillis;

		double streamMillis;

		double totalMillis;

		double tokensPerSecond;

		int trackersChecked;

		boolean exact;

		String problem = "";

		Result(int streams) {
			this.streams = streams;
		}

		String toJson(Config config, int tokens) {
			List<String> fields = new ArrayList<>();
			fields.add(q("config") + ":" + q(config.name().toLowerCase(Locale.ROOT)));
			fields.add(q("streams") + ":" + this.streams);
			fields.add(q("tokensPerStream") + ":" + tokens);
			fields.add(q("subscribeMillis") + ":" + fmt(this.subscribeMillis));
			fields.add(q("streamMillis") + ":" + fmt(this.streamMillis));
			fields.add(q("totalMillis") + ":" + fmt(this.totalMillis));
			fields.add(q("tokensPerSecond") + ":" + fmt(this.tokensPerSecond));
			fields.add(q("heapBeforeBytes") + ":" + this.heapBefore);
			fields.add(q("heapInFlightBytes") + ":" + this.heapInFlight);
			fields.add(q("heapInFlightPerStreamBytes") + ":" + (this.heapInFlight - this.heapBefore) / this.streams);
			fields.add(q("heapDoneTrackersHeldBytes") + ":" + this.heapDoneTrackersHeld);
			fields.add(q("heapAfterBytes") + ":" + this.heapAfter);
			fields.add(q("heapAfterMinusBeforeBytes") + ":" + (this.heapAfter - this.heapBefore));
			fields.add(q("trackersChecked") + ":" + this.trackersChecked);
			fields.add(q("exact") + ":" + this.exact);
			fields.add(q("problem") + ":" + q(this.problem));
			fields
				.add(q("jvm") + ":" + q(System.getProperty("java.vm.name") + " " + System.getProperty("java.version")));
			fields.add(q("processors") + ":" + Runtime.getRuntime().availableProcessors());
			fields.add(q("maxHeapBytes") + ":" + Runtime.getRuntime().maxMemory());
			return "{" + String.join(",", fields) + "}";
		}

		private static String q(String s) {
			return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
		}

		private static String fmt(double d) {
			return String.format(Locale.ROOT, "%.1f", d);
		}

	}

}
