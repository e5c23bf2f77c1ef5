package dev.callbacks.metrics;

/**
 * Names, tag keys and tag values of the meters, defined once.
 */
public final class LlmMeters {

	/**
	 * Counter of tokens, base unit {@code tokens}; tags {@code type}, {@code model},
	 * {@code client}.
	 */
	public static final String TOKENS = "llm.tokens";

	/**
	 * Counter of the tokens that are parts of {@link #TOKENS} and that providers bill
	 * differently (in Prometheus {@code llm_tokens_detail_total}); tags {@code type}
	 * ({@code cache_read}, {@code cache_write} of the input, {@code reasoning} of the
	 * output), {@code model}, {@code client}. A separate meter so that the
	 * {@code llm.tokens} series of a model still add up to its total tokens: these are
	 * not to be added to them.
	 */
	public static final String TOKENS_DETAIL = "llm.tokens.detail";

	/**
	 * Counter of LLM round trips; tags {@code model}, {@code client}, {@code outcome}.
	 */
	public static final String REQUESTS = "llm.requests";

	/**
	 * Counter of cost, base unit {@code USD}; tags {@code model}, {@code client}. Priced
	 * models only.
	 */
	public static final String COST = "llm.cost";

	/**
	 * Timer from the start of a streamed round to its first token; tags {@code model},
	 * {@code client}.
	 */
	public static final String TIME_TO_FIRST_TOKEN = "llm.time.to.first.token";

	/**
	 * Distribution summary of total tokens per HTTP request; tag {@code uri} (the route
	 * template).
	 */
	public static final String HTTP_REQUEST_TOKENS = "llm.http.request.tokens";

	/**
	 * Timer of tool executions, from the tool run's start to its end or error; tags
	 * {@code tool} (bounded by {@link ToolTags}), {@code client}, {@code outcome}. Its
	 * count is the number of executions.
	 */
	public static final String TOOL_DURATION = "llm.tool.duration";

	/**
	 * Counter of the tokens of the model rounds that asked for a tool, base unit
	 * {@code tokens}; tags {@code tool}, {@code client}, {@code type} ({@code input},
	 * {@code output}). Only rounds that asked for that one tool alone are counted, so the
	 * tokens belong to it exactly; a round asking for several tools is not split.
	 */
	public static final String TOOL_TOKENS = "llm.tool.tokens";

	/**
	 * Counter of the input tokens of embedding calls, base unit {@code tokens}; tags
	 * {@code model}, {@code client} ({@code none} for calls outside any
	 * {@code ChatClient} call). Apart from {@link #TOKENS}, which counts chat tokens.
	 */
	public static final String EMBEDDING_TOKENS = "llm.embedding.tokens";

	/** Counter of embedding calls; tags {@code model}, {@code outcome}. */
	public static final String EMBEDDING_REQUESTS = "llm.embedding.requests";

	/**
	 * Counter of the cost of embedding calls, base unit {@code USD}; tags {@code model},
	 * {@code client}. Priced models only; apart from {@link #COST}.
	 */
	public static final String EMBEDDING_COST = "llm.embedding.cost";

	/** Counter of handler failures; tags {@code handler}, {@code event}. */
	public static final String HANDLER_ERRORS = "callbacks.handler.errors";

	/**
	 * Function counter of provider usage reports that were repaired or dropped; tags
	 * {@code provider}, {@code kind}.
	 */
	public static final String USAGE_ANOMALIES = "callbacks.usage.anomalies";

	public static final String TAG_PROVIDER = "provider";

	public static final String TAG_KIND = "kind";

	public static final String TAG_TYPE = "type";

	public static final String TAG_MODEL = "model";

	public static final String TAG_CLIENT = "client";

	public static final String TAG_OUTCOME = "outcome";

	public static final String TAG_URI = "uri";

	public static final String TAG_TOOL = "tool";

	public static final String TAG_HANDLER = "handler";

	public static final String TAG_EVENT = "event";

	public static final String TYPE_INPUT = "input";

	public static final String TYPE_OUTPUT = "output";

	/** {@link #TOKENS_DETAIL} type: prompt tokens read from the provider's cache. */
	public static final String TYPE_CACHE_READ = "cache_read";

	/** {@link #TOKENS_DETAIL} type: prompt tokens written to the provider's cache. */
	public static final String TYPE_CACHE_WRITE = "cache_write";

	/** {@link #TOKENS_DETAIL} type: completion tokens spent on reasoning. */
	public static final String TYPE_REASONING = "reasoning";

	public static final String OUTCOME_SUCCESS = "success";

	public static final String OUTCOME_ERROR = "error";

	/** A round refused before it reached the provider (over budget). */
	public static final String OUTCOME_REJECTED = "rejected";

	/**
	 * A streamed round whose subscriber cancelled it (the user went away): not an error
	 * of the model or the application.
	 */
	public static final String OUTCOME_CANCELLED = "cancelled";

	/** The attribution tag's value for a value outside the configured set. */
	public static final String OTHER = "other";

	/** The attribution tag's value when the run has none. */
	public static final String NONE = "none";

	private LlmMeters() {
	}

}
