package dev.callbacks.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import dev.callbacks.CallbackObserver;
import dev.callbacks.EmbeddingRunRecord;
import dev.callbacks.LlmRunRecord;
import dev.callbacks.ToolRunRecord;
import dev.callbacks.usage.TokenUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Records every ended LLM run, tool run and embedding call and every failed handler as
 * {@code llm.*} and {@code callbacks.handler.errors} meters. Tags are low-cardinality by
 * construction: model names bounded by {@link ModelTags}, tool names bounded by
 * {@link ToolTags}, client names, outcome, and an optional attribution tag limited to a
 * configured set. No prompt, completion or tool text is ever a tag.
 * <p>
 * The meters of each tag combination are looked up once and kept, so recording a run is a
 * few counter increments.
 */
public final class MicrometerCallbackObserver implements CallbackObserver {

	// Beyond this many tag combinations, meters are looked up in the registry each time
	// instead of cached here.
	private static final int MAX_CACHED = 1024;

	private final MeterRegistry registry;

	private final @Nullable String attributionTag;

	private final Set<String> attributionValues;

	private final LlmAttributionResolver attributionResolver;

	private final ModelTags modelTags;

	private final ToolTags toolTags;

	private final boolean llmRunMeters;

	private final ConcurrentMap<Key, RunMeters> meters = new ConcurrentHashMap<>();

	private final ConcurrentMap<EmbeddingKey, EmbeddingMeters> embeddingMeters = new ConcurrentHashMap<>();

	private final ConcurrentMap<ToolKey, ToolMeters> toolMeters = new ConcurrentHashMap<>();

	/**
	 * Records into {@code registry} with no attribution tag and the default bounds on
	 * model names ({@link ModelTags#defaults()}).
	 */
	public MicrometerCallbackObserver(MeterRegistry registry) {
		this(registry, null, Set.of(), run -> null);
	}

	/**
	 * Records into {@code registry}, with an attribution tag named {@code attributionTag}
	 * (none when {@code null}) whose values are limited to {@code attributionValues}, and
	 * the default bounds on model names.
	 */
	public MicrometerCallbackObserver(MeterRegistry registry, @Nullable String attributionTag,
			Set<String> attributionValues, LlmAttributionResolver attributionResolver) {
		this(registry, attributionTag, attributionValues, attributionResolver, ModelTags.defaults());
	}

	/**
	 * Records into {@code registry}, with an attribution tag named {@code attributionTag}
	 * (none when {@code null}) whose values are limited to {@code attributionValues}, and
	 * {@code model} tag values from {@code modelTags}.
	 */
	public MicrometerCallbackObserver(MeterRegistry registry, @Nullable String attributionTag,
			Set<String> attributionValues, LlmAttributionResolver attributionResolver, ModelTags modelTags) {
		this(registry, attributionTag, attributionValues, attributionResolver, modelTags, ToolTags.defaults(), true);
	}

	/**
	 * Records into {@code registry}, with an attribution tag named {@code attributionTag}
	 * (none when {@code null}) whose values are limited to {@code attributionValues},
	 * {@code model} tag values from {@code modelTags} and {@code tool} tag values from
	 * {@code toolTags}.
	 * @param llmRunMeters whether to record {@code llm.tokens}, {@code llm.requests} and
	 * {@code llm.time.to.first.token}; {@code false} when the OpenTelemetry GenAI
	 * instruments ({@link OtelGenAiMeterObserver}) record them instead. The meters with
	 * no GenAI counterpart ({@code llm.cost}, {@code llm.tokens.detail}, the tool meters,
	 * handler errors) are recorded either way.
	 */
	public MicrometerCallbackObserver(MeterRegistry registry, @Nullable String attributionTag,
			Set<String> attributionValues, LlmAttributionResolver attributionResolver, ModelTags modelTags,
			ToolTags toolTags, boolean llmRunMeters) {
		Assert.notNull(registry, "registry must not be null");
		Assert.notNull(modelTags, "modelTags must not be null");
		Assert.notNull(toolTags, "toolTags must not be null");
		this.registry = registry;
		this.attributionTag = attributionTag;
		this.attributionValues = Set.copyOf(attributionValues);
		this.attributionResolver = attributionResolver;
		this.modelTags = modelTags;
		this.toolTags = toolTags;
		this.llmRunMeters = llmRunMeters;
	}

	@Override
	public void onLlmRun(LlmRunRecord run) {
		RunMeters meters = metersFor(new Key(run.client(), this.modelTags.tag(run.model()), attribution(run)));
		TokenUsage usage = run.usage();
		meters.recordDetails(usage);
		if (run.cost() != null && run.cost().signum() > 0) {
			meters.cost.increment(run.cost().doubleValue());
		}
		RoundMeters round = meters.round;
		if (round == null) {
			return;
		}
		if (usage.promptTokens() > 0) {
			round.inputTokens.increment(usage.promptTokens());
		}
		if (usage.completionTokens() > 0) {
			round.outputTokens.increment(usage.completionTokens());
		}
		if (run.outcome() == LlmRunRecord.Outcome.REJECTED) {
			round.rejected.get().increment();
		}
		else if (run.outcome() == LlmRunRecord.Outcome.CANCELLED) {
			round.cancelled.get().increment();
		}
		else {
			(run.success() ? round.success : round.error).increment();
		}
		if (run.streaming() && run.timeToFirstTokenNanos() >= 0) {
			round.timeToFirstToken.record(run.timeToFirstTokenNanos(), TimeUnit.NANOSECONDS);
		}
	}

	@Override
	public void onToolRun(ToolRunRecord run) {
		ToolKey key = new ToolKey(run.client(), this.toolTags.tag(run.toolName()));
		ToolMeters meters = this.toolMeters.get(key);
		if (meters == null) {
			meters = new ToolMeters(this.registry, key);
			if (this.toolMeters.size() < MAX_CACHED) {
				ToolMeters raced = this.toolMeters.putIfAbsent(key, meters);
				meters = (raced != null) ? raced : meters;
			}
		}
		(run.success() ? meters.success : meters.error).record(run.durationNanos(), TimeUnit.NANOSECONDS);
		TokenUsage asking = run.askingRoundUsage();
		if (asking != null) {
			if (asking.promptTokens() > 0) {
				meters.inputTokens.increment(asking.promptTokens());
			}
			if (asking.completionTokens() > 0) {
				meters.outputTokens.increment(asking.completionTokens());
			}
		}
	}

	@Override
	public void onEmbeddingRun(EmbeddingRunRecord run) {
		String model = this.modelTags.tag(run.model());
		EmbeddingMeters meters = this.embeddingMeters.get(new EmbeddingKey(run.client(), model));
		if (meters == null) {
			meters = new EmbeddingMeters(this.registry, run.client(), model);
			if (this.embeddingMeters.size() < MAX_CACHED) {
				EmbeddingMeters raced = this.embeddingMeters.putIfAbsent(new EmbeddingKey(run.client(), model), meters);
				meters = (raced != null) ? raced : meters;
			}
		}
		if (run.usage().promptTokens() > 0) {
			meters.tokens.increment(run.usage().promptTokens());
		}
		(run.success() ? meters.success : meters.error).increment();
		if (run.cost() != null && run.cost().signum() > 0) {
			meters.cost.increment(run.cost().doubleValue());
		}
	}

	@Override
	public void onHandlerError(String handler, String event, Throwable error) {
		Counter.builder(LlmMeters.HANDLER_ERRORS)
			.description("Callback handler failures (exceptions, failed or timed-out async handlers)")
			.tag(LlmMeters.TAG_HANDLER, handler)
			.tag(LlmMeters.TAG_EVENT, event)
			.register(this.registry)
			.increment();
	}

	private @Nullable String attribution(LlmRunRecord run) {
		if (this.attributionTag == null) {
			return null;
		}
		String value;
		try {
			value = this.attributionResolver.resolve(run);
		}
		catch (RuntimeException ex) {
			value = null;
		}
		if (value == null) {
			return LlmMeters.NONE;
		}
		return this.attributionValues.contains(value) ? value : LlmMeters.OTHER;
	}

	private RunMeters metersFor(Key key) {
		RunMeters found = this.meters.get(key);
		if (found != null) {
			return found;
		}
		RunMeters created = new RunMeters(this.registry, key, this.attributionTag, this.llmRunMeters);
		if (this.meters.size() < MAX_CACHED) {
			RunMeters raced = this.meters.putIfAbsent(key, created);
			return (raced != null) ? raced : created;
		}
		return created;
	}

	private record Key(String client, String model, @Nullable String attribution) {
	}

	private record ToolKey(String client, String tool) {
	}

	private static final class ToolMeters {

		final Timer success;

		final Timer error;

		final Counter inputTokens;

		final Counter outputTokens;

		ToolMeters(MeterRegistry registry, ToolKey key) {
			Tags tags = Tags.of(LlmMeters.TAG_TOOL, key.tool(), LlmMeters.TAG_CLIENT, key.client());
			this.success = duration(registry, tags, LlmMeters.OUTCOME_SUCCESS);
			this.error = duration(registry, tags, LlmMeters.OUTCOME_ERROR);
			this.inputTokens = tokens(registry, tags, LlmMeters.TYPE_INPUT);
			this.outputTokens = tokens(registry, tags, LlmMeters.TYPE_OUTPUT);
		}

		private static Timer duration(MeterRegistry registry, Tags tags, String outcome) {
			return Timer.builder(LlmMeters.TOOL_DURATION)
				.description("Tool executions, from start to end or error")
				.tags(tags)
				.tag(LlmMeters.TAG_OUTCOME, outcome)
				.register(registry);
		}

		private static Counter tokens(MeterRegistry registry, Tags tags, String type) {
			return Counter.builder(LlmMeters.TOOL_TOKENS)
				.description("Tokens of the model rounds that asked for this tool alone")
				.baseUnit("tokens")
				.tags(tags)
				.tag(LlmMeters.TAG_TYPE, type)
				.register(registry);
		}

	}

	// The meters of LLM round trips that have an OpenTelemetry GenAI counterpart.
	private static final class RoundMeters {

		final Counter inputTokens;

		final Counter outputTokens;

		final Counter success;

		final Counter error;

		final Timer timeToFirstToken;

		// Registered on first use: most applications have no budgets, and only streams
		// are cancelled.
		final OnFirstUse rejected;

		final OnFirstUse cancelled;

		RoundMeters(MeterRegistry registry, Tags tags) {
			this.inputTokens = RunMeters.tokens(registry, tags, LlmMeters.TYPE_INPUT);
			this.outputTokens = RunMeters.tokens(registry, tags, LlmMeters.TYPE_OUTPUT);
			this.success = RunMeters.requests(registry, tags, LlmMeters.OUTCOME_SUCCESS);
			this.error = RunMeters.requests(registry, tags, LlmMeters.OUTCOME_ERROR);
			this.rejected = new OnFirstUse(() -> RunMeters.requests(registry, tags, LlmMeters.OUTCOME_REJECTED));
			this.cancelled = new OnFirstUse(() -> RunMeters.requests(registry, tags, LlmMeters.OUTCOME_CANCELLED));
			this.timeToFirstToken = Timer.builder(LlmMeters.TIME_TO_FIRST_TOKEN)
				.description("Time from the start of a streamed LLM round trip to its first token")
				.tags(tags)
				.register(registry);
		}

	}

	// A counter registered when first counted, so that a series exists only once it
	// has something to say. Registering twice returns the same counter: a race loses
	// nothing.
	private static final class OnFirstUse {

		private final java.util.function.Supplier<Counter> registration;

		private volatile @Nullable Counter counter;

		OnFirstUse(java.util.function.Supplier<Counter> registration) {
			this.registration = registration;
		}

		Counter get() {
			Counter counter = this.counter;
			if (counter == null) {
				counter = this.registration.get();
				this.counter = counter;
			}
			return counter;
		}

	}

	private record EmbeddingKey(String client, String model) {
	}

	// Registering a meter twice returns the same meter, so a race here loses nothing.
	private static final class EmbeddingMeters {

		final Counter tokens;

		final Counter success;

		final Counter error;

		final Counter cost;

		EmbeddingMeters(MeterRegistry registry, String client, String model) {
			this.tokens = Counter.builder(LlmMeters.EMBEDDING_TOKENS)
				.description("Input tokens of embedding calls, as reported by the provider (or estimated)")
				.baseUnit("tokens")
				.tag(LlmMeters.TAG_MODEL, model)
				.tag(LlmMeters.TAG_CLIENT, client)
				.register(registry);
			this.success = requests(registry, model, LlmMeters.OUTCOME_SUCCESS);
			this.error = requests(registry, model, LlmMeters.OUTCOME_ERROR);
			this.cost = Counter.builder(LlmMeters.EMBEDDING_COST)
				.description("Cost of embedding calls of priced models")
				.baseUnit("USD")
				.tag(LlmMeters.TAG_MODEL, model)
				.tag(LlmMeters.TAG_CLIENT, client)
				.register(registry);
		}

		private static Counter requests(MeterRegistry registry, String model, String outcome) {
			return Counter.builder(LlmMeters.EMBEDDING_REQUESTS)
				.description("Embedding calls")
				.tag(LlmMeters.TAG_MODEL, model)
				.tag(LlmMeters.TAG_OUTCOME, outcome)
				.register(registry);
		}

	}

	private static final class RunMeters {

		final @Nullable RoundMeters round;

		final Counter cost;

		private final MeterRegistry registry;

		private final Tags tags;

		// Registered on first use: most models never read or write a cache or reason, and
		// a series of zeros for each of them would only be noise.
		private volatile @Nullable Counter cacheReadTokens;

		private volatile @Nullable Counter cacheWriteTokens;

		private volatile @Nullable Counter reasoningTokens;

		RunMeters(MeterRegistry registry, Key key, @Nullable String attributionTag, boolean roundMeters) {
			Tags tags = Tags.of(LlmMeters.TAG_MODEL, key.model(), LlmMeters.TAG_CLIENT, key.client());
			if (attributionTag != null && key.attribution() != null) {
				tags = tags.and(attributionTag, key.attribution());
			}
			this.registry = registry;
			this.tags = tags;
			this.round = roundMeters ? new RoundMeters(registry, tags) : null;
			this.cost = Counter.builder(LlmMeters.COST)
				.description("Cost of LLM round trips of priced models")
				.baseUnit("USD")
				.tags(tags)
				.register(registry);
		}

		// The parts of llm.tokens, in a meter of their own so that llm.tokens still sums
		// to
		// the total (input already includes cache reads and writes, output reasoning).
		void recordDetails(TokenUsage usage) {
			if (usage.cachedPromptTokens() > 0) {
				Counter counter = this.cacheReadTokens;
				if (counter == null) {
					counter = detail(LlmMeters.TYPE_CACHE_READ);
					this.cacheReadTokens = counter;
				}
				counter.increment(usage.cachedPromptTokens());
			}
			if (usage.cacheWriteTokens() > 0) {
				Counter counter = this.cacheWriteTokens;
				if (counter == null) {
					counter = detail(LlmMeters.TYPE_CACHE_WRITE);
					this.cacheWriteTokens = counter;
				}
				counter.increment(usage.cacheWriteTokens());
			}
			if (usage.reasoningTokens() > 0) {
				Counter counter = this.reasoningTokens;
				if (counter == null) {
					counter = detail(LlmMeters.TYPE_REASONING);
					this.reasoningTokens = counter;
				}
				counter.increment(usage.reasoningTokens());
			}
		}

		// Registering twice returns the same counter, so a race here loses nothing. No
		// base
		// unit: Prometheus would append it (llm_tokens_detail_tokens_total).
		private Counter detail(String type) {
			return Counter.builder(LlmMeters.TOKENS_DETAIL)
				.description("Tokens that are parts of llm.tokens billed differently: cache reads and writes "
						+ "(of the input), reasoning (of the output); not to be added to llm.tokens")
				.tags(this.tags)
				.tag(LlmMeters.TAG_TYPE, type)
				.register(this.registry);
		}

		private static Counter tokens(MeterRegistry registry, Tags tags, String type) {
			return Counter.builder(LlmMeters.TOKENS)
				.description("Tokens of LLM round trips, as reported by the provider (or estimated)")
				.baseUnit("tokens")
				.tags(tags)
				.tag(LlmMeters.TAG_TYPE, type)
				.register(registry);
		}

		private static Counter requests(MeterRegistry registry, Tags tags, String outcome) {
			return Counter.builder(LlmMeters.REQUESTS)
				.description("LLM round trips")
				.tags(tags)
				.tag(LlmMeters.TAG_OUTCOME, outcome)
				.register(registry);
		}

	}

}
