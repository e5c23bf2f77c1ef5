package dev.callbacks.benchmarks;

import java.util.concurrent.TimeUnit;

import dev.callbacks.UsageTracker;
import io.micrometer.context.ContextRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One {@code ChatClient} {@code call()} and one {@code stream()} of {@link #tokens}
 * tokens, per {@link Config}, on the zero-latency model. The op is one request; for
 * streams divide by {@code tokens} for ns and bytes per token (the README's table does).
 * Each trial first runs one request and checks that handlers, tracker and meters really
 * saw it, so a wiring mistake cannot produce a flattering number.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xms2g", "-Xmx2g" })
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ChatClientBenchmark {

	static final String QUESTION = "Which flowers suit a birthday?";

	@Param({ "bare", "bare_1_noop_advisor", "bare_2_noop_advisors", "bare_2_noop_advisors_3ctx", "bare_traced_model",
			"starter_inert", "starter_0h", "starter_1h", "starter_3h", "starter_3h_advisor", "starter_3h_final_model",
			"spring_ai_obs", "spring_ai_obs_3h" })
	public String config;

	@Param({ "1000" })
	public int tokens;

	private Config.Setup setup;

	private boolean tracker;

	@Setup(Level.Trial)
	public void setUp() {
		this.setup = Config.of(this.config).build(this.tokens);
		this.tracker = this.setup.config.tracker;
		check();
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		// Handlers, tracker and meters kept counting through the whole trial.
		if (this.setup.config.handlers >= 1 && this.setup.tokenCounter.tokens == 0) {
			throw new IllegalStateException("token handler saw nothing");
		}
	}

	@Benchmark
	public String call() {
		if (this.tracker) {
			try (UsageTracker usage = UsageTracker.start()) {
				return this.setup.client.prompt().user(QUESTION).call().content();
			}
		}
		return this.setup.client.prompt().user(QUESTION).call().content();
	}

	@Benchmark
	public String stream() {
		if (this.tracker) {
			try (UsageTracker usage = UsageTracker.start()) {
				return this.setup.client.prompt().user(QUESTION).stream().content().blockLast();
			}
		}
		return this.setup.client.prompt().user(QUESTION).stream().content().blockLast();
	}

	private void check() {
		Config config = this.setup.config;
		// A tracker only where the configuration has one: opening it would make the
		// starter register its context-propagation accessor, which every Reactor
		// handle() of every chunk then pays for.
		UsageTracker usage = config.tracker ? UsageTracker.start() : null;
		try {
			String answer = this.setup.client.prompt().user(QUESTION).call().content();
			require(answer != null && !answer.isEmpty(), "call() answered nothing");
			String last = this.setup.client.prompt().user(QUESTION).stream().content().blockLast();
			require(last != null, "stream() answered nothing");
			long expected = (ZeroLatencyChatModel.PROMPT_TOKENS + 6)
					+ (ZeroLatencyChatModel.PROMPT_TOKENS + this.tokens);
			if (usage != null) {
				require(usage.totalTokens() == expected && usage.successfulRequests() == 2,
						"tracker counted " + usage + ", expected " + expected + " tokens in 2 requests");
			}
		}
		finally {
			if (usage != null) {
				usage.close();
			}
		}
		if (config == Config.STARTER_INERT || !config.starter) {
			// Nothing listens: none of the starter's context-propagation accessors may be
			// registered (the bare configurations also stand for "no starter").
			boolean registered = ContextRegistry.getInstance()
				.getThreadLocalAccessors()
				.stream()
				.anyMatch((accessor) -> String.valueOf(accessor.key()).startsWith("dev.callbacks."));
			require(!registered, "the starter registered a context-propagation accessor with nothing listening");
		}
		if (config.handlers >= 1) {
			require(this.setup.tokenCounter.tokens == this.tokens,
					"TokenCounter saw " + this.setup.tokenCounter.tokens);
		}
		if (config.handlers >= 3) {
			Handlers.EventCounter events = this.setup.eventCounter;
			require(events.chainStarts == 2 && events.chainEnds == 2 && events.llmStarts == 2 && events.llmEnds == 2
					&& events.tokens == this.tokens, "EventCounter saw the wrong events");
			require(this.setup.usageSummer.totalTokens > 0, "UsageSummer saw no usage");
		}
		MeterRegistry registry = this.setup.meterRegistry;
		if (config.meters) {
			double output = registry.find("llm.tokens")
				.tag("type", "output")
				.counters()
				.stream()
				.mapToDouble(Counter::count)
				.sum();
			require(output == 6 + this.tokens, "llm.tokens{type=output} = " + output);
		}
		if (config.springAiObservation) {
			double output = registry.find("gen_ai.client.token.usage")
				.tag("gen_ai.token.type", "output")
				.counters()
				.stream()
				.mapToDouble(Counter::count)
				.sum();
			require(output == 6 + this.tokens, "gen_ai.client.token.usage{output} = " + output);
		}
	}

	static void require(boolean condition, String message) {
		if (!condition) {
			throw new IllegalStateException("benchmark self-check failed: " + message);
		}
	}

}
