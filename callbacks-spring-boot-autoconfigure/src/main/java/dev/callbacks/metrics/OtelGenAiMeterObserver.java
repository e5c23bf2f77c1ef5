package dev.callbacks.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.callbacks.CallbackObserver;
import dev.callbacks.LlmRunRecord;
import dev.callbacks.usage.TokenUsage;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Records every ended LLM run as the OpenTelemetry GenAI semantic conventions' client
 * instruments ({@link GenAiMeters}): {@code gen_ai.client.token.usage},
 * {@code gen_ai.client.operation.duration} and, for streams,
 * {@code gen_ai.client.operation.time_to_first_chunk}, with the conventions' attributes
 * and bucket boundaries.
 * <p>
 * Durations are distribution summaries in seconds rather than timers: a timer's unit is
 * whatever base time unit the registry exports ({@code milliseconds} by default in
 * Micrometer's OTLP registry), while the conventions ask for {@code s}.
 * <p>
 * Spring AI's {@code ChatModelMeterObservationHandler} records
 * {@code gen_ai.client.token.usage} itself (as a counter, from its chat model
 * observation); where it does, construct this observer without token usage so that no
 * series is recorded twice. Response models are bounded by {@link ModelTags}.
 */
public final class OtelGenAiMeterObserver implements CallbackObserver {

	// Beyond this many attribute combinations, meters are looked up in the registry each
	// time instead of cached here.
	private static final int MAX_CACHED = 1024;

	private final MeterRegistry registry;

	private final ModelTags modelTags;

	private final boolean tokenUsage;

	private final ConcurrentMap<Key, Instruments> instruments = new ConcurrentHashMap<>();

	/**
	 * Records into {@code registry}.
	 * @param modelTags bounds the {@code gen_ai.response.model} values
	 * @param tokenUsage whether to record {@code gen_ai.client.token.usage};
	 * {@code false} when Spring AI records it
	 */
	public OtelGenAiMeterObserver(MeterRegistry registry, ModelTags modelTags, boolean tokenUsage) {
		Assert.notNull(registry, "registry must not be null");
		Assert.notNull(modelTags, "modelTags must not be null");
		this.registry = registry;
		this.modelTags = modelTags;
		this.tokenUsage = tokenUsage;
	}

	/** Whether {@code gen_ai.client.token.usage} is recorded here. */
	public boolean recordsTokenUsage() {
		return this.tokenUsage;
	}

	@Override
	public void onLlmRun(LlmRunRecord run) {
		String errorType = run.success() ? null : run.outcome().tagValue();
		String requested = run.requestedModel().isEmpty() ? run.model() : run.requestedModel();
		Key key = new Key(providerName(run.provider()), this.modelTags.tag(requested), this.modelTags.tag(run.model()),
				errorType);
		Instruments found = this.instruments.get(key);
		if (found == null) {
			found = new Instruments(this.registry, key, this.tokenUsage);
			if (this.instruments.size() < MAX_CACHED) {
				Instruments raced = this.instruments.putIfAbsent(key, found);
				found = (raced != null) ? raced : found;
			}
		}
		found.duration.record(seconds(run.durationNanos()));
		if (run.streaming() && run.timeToFirstTokenNanos() >= 0) {
			found.firstChunk(this.registry).record(seconds(run.timeToFirstTokenNanos()));
		}
		DistributionSummary input = found.inputTokens;
		DistributionSummary output = found.outputTokens;
		TokenUsage usage = run.usage();
		// A round that failed before the provider counted anything has no usage to
		// record.
		if (input != null && output != null && usage.totalTokens() > 0) {
			input.record(usage.promptTokens());
			output.record(usage.completionTokens());
		}
	}

	private static double seconds(long nanos) {
		return nanos / 1e9;
	}

	/**
	 * The conventions' {@code gen_ai.provider.name} for a provider as the adapter names
	 * it (Spring AI's module name); names the conventions do not list are kept.
	 */
	static String providerName(String provider) {
		return switch (provider) {
			case "google_genai" -> "gcp.gen_ai";
			case "vertexai" -> "gcp.vertex_ai";
			case "bedrock_converse", "bedrock" -> "aws.bedrock";
			case "azure" -> "azure.ai.openai";
			default -> provider;
		};
	}

	private record Key(String provider, String requestModel, String model, @Nullable String errorType) {
	}

	private static final class Instruments {

		final DistributionSummary duration;

		private final Tags durationTags;

		final @Nullable DistributionSummary inputTokens;

		final @Nullable DistributionSummary outputTokens;

		Instruments(MeterRegistry registry, Key key, boolean tokenUsage) {
			Tags tags = Tags.of(GenAiMeters.ATTR_OPERATION_NAME, GenAiMeters.OPERATION_CHAT,
					GenAiMeters.ATTR_PROVIDER_NAME, key.provider(), GenAiMeters.ATTR_REQUEST_MODEL, key.requestModel(),
					GenAiMeters.ATTR_RESPONSE_MODEL, key.model());
			// error.type only on failed rounds, as the conventions say; tokens are not
			// tagged with it.
			Tags durationTags = (key.errorType() != null) ? tags.and(GenAiMeters.ATTR_ERROR_TYPE, key.errorType())
					: tags;
			this.duration = DistributionSummary.builder(GenAiMeters.OPERATION_DURATION)
				.description("GenAI operation duration")
				.baseUnit(GenAiMeters.UNIT_SECONDS)
				.tags(durationTags)
				.serviceLevelObjectives(GenAiMeters.DURATION_BUCKETS)
				.register(registry);
			this.durationTags = durationTags;
			this.inputTokens = tokenUsage ? tokens(registry, tags, GenAiMeters.TOKEN_TYPE_INPUT) : null;
			this.outputTokens = tokenUsage ? tokens(registry, tags, GenAiMeters.TOKEN_TYPE_OUTPUT) : null;
		}

		// Registered on first use: the conventions want it for streams only, and an
		// empty histogram for every model called without streaming would say otherwise.
		// Registering again returns the same timer.
		DistributionSummary firstChunk(MeterRegistry registry) {
			return DistributionSummary.builder(GenAiMeters.TIME_TO_FIRST_CHUNK)
				.description("Time to receive the first chunk of a streamed GenAI operation")
				.baseUnit(GenAiMeters.UNIT_SECONDS)
				.tags(this.durationTags)
				.serviceLevelObjectives(GenAiMeters.FIRST_CHUNK_BUCKETS)
				.register(registry);
		}

		private static DistributionSummary tokens(MeterRegistry registry, Tags tags, String type) {
			return DistributionSummary.builder(GenAiMeters.TOKEN_USAGE)
				.description("Number of input and output tokens used")
				.baseUnit(GenAiMeters.UNIT_TOKEN)
				.tags(tags)
				.tag(GenAiMeters.ATTR_TOKEN_TYPE, type)
				.serviceLevelObjectives(GenAiMeters.TOKEN_USAGE_BUCKETS)
				.register(registry);
		}

	}

}
