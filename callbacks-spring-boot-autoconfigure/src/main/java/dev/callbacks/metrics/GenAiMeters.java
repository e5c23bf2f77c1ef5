package dev.callbacks.metrics;

/**
 * Names, attribute keys and values of the OpenTelemetry GenAI semantic conventions'
 * client instruments, defined once. Recorded by {@link OtelGenAiMeterObserver}.
 */
public final class GenAiMeters {

	/**
	 * Histogram of the input and output tokens of each model round, unit {@code {token}}.
	 */
	public static final String TOKEN_USAGE = "gen_ai.client.token.usage";

	/** Histogram of the duration of each model round, in seconds. */
	public static final String OPERATION_DURATION = "gen_ai.client.operation.duration";

	/**
	 * Histogram of the time from calling the model to the first chunk of a streamed
	 * round, in seconds; streams only.
	 */
	public static final String TIME_TO_FIRST_CHUNK = "gen_ai.client.operation.time_to_first_chunk";

	public static final String ATTR_OPERATION_NAME = "gen_ai.operation.name";

	public static final String ATTR_PROVIDER_NAME = "gen_ai.provider.name";

	public static final String ATTR_RESPONSE_MODEL = "gen_ai.response.model";

	public static final String ATTR_REQUEST_MODEL = "gen_ai.request.model";

	public static final String ATTR_TOKEN_TYPE = "gen_ai.token.type";

	public static final String ATTR_ERROR_TYPE = "error.type";

	/** The operation of every round recorded: a chat completion. */
	public static final String OPERATION_CHAT = "chat";

	public static final String TOKEN_TYPE_INPUT = "input";

	public static final String TOKEN_TYPE_OUTPUT = "output";

	/** The unit of {@link #TOKEN_USAGE}. */
	public static final String UNIT_TOKEN = "{token}";

	/** The unit of the durations, in the conventions' (UCUM) spelling. */
	public static final String UNIT_SECONDS = "s";

	/** The bucket boundaries the conventions give for {@link #TOKEN_USAGE}. */
	static final double[] TOKEN_USAGE_BUCKETS = { 1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304,
			16777216, 67108864 };

	/**
	 * The bucket boundaries (seconds) the conventions give for
	 * {@link #OPERATION_DURATION}.
	 */
	static final double[] DURATION_BUCKETS = { 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48,
			40.96, 81.92 };

	/**
	 * The bucket boundaries (seconds) the conventions give for
	 * {@link #TIME_TO_FIRST_CHUNK}.
	 */
	static final double[] FIRST_CHUNK_BUCKETS = { 0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0,
			2.5, 5.0, 7.5, 10.0 };

	private GenAiMeters() {
	}

}
