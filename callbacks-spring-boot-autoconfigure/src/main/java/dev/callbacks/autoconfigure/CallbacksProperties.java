package dev.callbacks.autoconfigure;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the callbacks starter.
 */
@ConfigurationProperties("callbacks")
public class CallbacksProperties {

	/**
	 * Whether to auto-configure callbacks: global handler beans, the meters and the
	 * per-request usage tracker. Handlers given per client or request with
	 * Callbacks.handlers(...) work either way.
	 */
	private boolean enabled = true;

	/**
	 * Whether to add the stdout handler to every ChatClient, like LangChain's
	 * verbose=True.
	 */
	private boolean verbose;

	/**
	 * Whether the built-in handlers (verbose, file) write prompt and completion text,
	 * tool input and output, and exception messages (which often quote the prompt).
	 */
	private boolean includeContent;

	private final File file = new File();

	private final Async async = new Async();

	private final Pricing pricing = new Pricing();

	private final Usage usage = new Usage();

	private final Metrics metrics = new Metrics();

	private final Embedding embedding = new Embedding();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isVerbose() {
		return this.verbose;
	}

	public void setVerbose(boolean verbose) {
		this.verbose = verbose;
	}

	public boolean isIncludeContent() {
		return this.includeContent;
	}

	public void setIncludeContent(boolean includeContent) {
		this.includeContent = includeContent;
	}

	public File getFile() {
		return this.file;
	}

	public Async getAsync() {
		return this.async;
	}

	public Pricing getPricing() {
		return this.pricing;
	}

	public Usage getUsage() {
		return this.usage;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public Embedding getEmbedding() {
		return this.embedding;
	}

	/** Embedding calls of {@code EmbeddingModel} beans. */
	public static class Embedding {

		/**
		 * Whether to proxy EmbeddingModel beans so that their calls are embedding runs:
		 * events, the trackers' embedding counts and the llm.embedding meters.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	public static class File {

		/**
		 * File the file handler appends one line per event to; no file handler when
		 * unset. The file is created readable by its owner only (on POSIX file systems),
		 * its folder must exist.
		 */
		private @Nullable Path path;

		/**
		 * Size past which the file is rotated (output.log to output.log.1, .1 to .2 and
		 * so on).
		 */
		private DataSize maxSize = DataSize.ofMegabytes(10);

		/**
		 * Number of rotated files kept; older ones are deleted. 0: the file starts afresh
		 * when it reaches max-size.
		 */
		private int maxHistory = 7;

		public @Nullable Path getPath() {
			return this.path;
		}

		public void setPath(@Nullable Path path) {
			this.path = path;
		}

		public DataSize getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(DataSize maxSize) {
			this.maxSize = maxSize;
		}

		public int getMaxHistory() {
			return this.maxHistory;
		}

		public void setMaxHistory(int maxHistory) {
			this.maxHistory = maxHistory;
		}

	}

	public static class Async {

		/**
		 * Longest time one async handler call may take; a call that takes longer counts
		 * as a failed handler and the chat goes on.
		 */
		private Duration timeout = Duration.ofSeconds(10);

		/**
		 * Where synchronous handlers run for streams: inline on the thread that delivers
		 * each chunk, or on a bounded scheduler of their own, each event awaited like an
		 * async handler.
		 */
		private SyncHandlers syncHandlers = SyncHandlers.INLINE;

		/**
		 * Threads of the sync-handler scheduler (sync-handlers=scheduler).
		 */
		private int schedulerThreads = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);

		/**
		 * Tasks the sync-handler scheduler queues beyond its busy threads; past that,
		 * events are rejected and count as handler errors.
		 */
		private int schedulerQueueSize = 10_000;

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public SyncHandlers getSyncHandlers() {
			return this.syncHandlers;
		}

		public void setSyncHandlers(SyncHandlers syncHandlers) {
			this.syncHandlers = syncHandlers;
		}

		public int getSchedulerThreads() {
			return this.schedulerThreads;
		}

		public void setSchedulerThreads(int schedulerThreads) {
			this.schedulerThreads = schedulerThreads;
		}

		public int getSchedulerQueueSize() {
			return this.schedulerQueueSize;
		}

		public void setSchedulerQueueSize(int schedulerQueueSize) {
			this.schedulerQueueSize = schedulerQueueSize;
		}

	}

	/** Where synchronous handlers run for streams. */
	public enum SyncHandlers {

		/** On the thread that delivers the chunk, as Reactor users expect. */
		INLINE,

		/** On a bounded scheduler of their own. */
		SCHEDULER

	}

	public static class Pricing {

		/**
		 * Price map in the format of LiteLLM's model_prices_and_context_window.json (such
		 * as classpath:prices.json or file:/etc/llm/prices.json), laid over the bundled
		 * table; models priced by callbacks.pricing.models are laid over both.
		 */
		private @Nullable Resource litellmMap;

		/**
		 * Prices in USD per million tokens by model name or prefix, laid over the bundled
		 * table and the LiteLLM map.
		 */
		private final Map<String, ModelPrice> models = new LinkedHashMap<>();

		public @Nullable Resource getLitellmMap() {
			return this.litellmMap;
		}

		public void setLitellmMap(@Nullable Resource litellmMap) {
			this.litellmMap = litellmMap;
		}

		public Map<String, ModelPrice> getModels() {
			return this.models;
		}

	}

	public static class ModelPrice {

		/**
		 * USD per million prompt (input) tokens.
		 */
		private @Nullable BigDecimal prompt;

		/**
		 * USD per million completion (output) tokens.
		 */
		private @Nullable BigDecimal completion;

		/**
		 * USD per million prompt tokens read from the provider's cache; the prompt price
		 * when unset.
		 */
		private @Nullable BigDecimal cachedPrompt;

		public @Nullable BigDecimal getPrompt() {
			return this.prompt;
		}

		public void setPrompt(@Nullable BigDecimal prompt) {
			this.prompt = prompt;
		}

		public @Nullable BigDecimal getCompletion() {
			return this.completion;
		}

		public void setCompletion(@Nullable BigDecimal completion) {
			this.completion = completion;
		}

		/**
		 * USD per million prompt tokens written to the provider's cache (default or
		 * five-minute lifetime); the prompt price when unset.
		 */
		private @Nullable BigDecimal cacheWrite;

		/**
		 * USD per million prompt tokens written to the provider's cache with a one-hour
		 * lifetime; the cache-write price when unset.
		 */
		private @Nullable BigDecimal cacheWrite1h;

		private final PriceTier tier = new PriceTier();

		public @Nullable BigDecimal getCachedPrompt() {
			return this.cachedPrompt;
		}

		public void setCachedPrompt(@Nullable BigDecimal cachedPrompt) {
			this.cachedPrompt = cachedPrompt;
		}

		public @Nullable BigDecimal getCacheWrite() {
			return this.cacheWrite;
		}

		public void setCacheWrite(@Nullable BigDecimal cacheWrite) {
			this.cacheWrite = cacheWrite;
		}

		public @Nullable BigDecimal getCacheWrite1h() {
			return this.cacheWrite1h;
		}

		public void setCacheWrite1h(@Nullable BigDecimal cacheWrite1h) {
			this.cacheWrite1h = cacheWrite1h;
		}

		public PriceTier getTier() {
			return this.tier;
		}

	}

	/**
	 * Prices that apply to a whole request when its prompt is larger than a threshold
	 * (long-context prices).
	 */
	public static class PriceTier {

		/**
		 * Prompt tokens (cache reads and writes included) above which the whole request
		 * is charged at the tier prices, such as 200000.
		 */
		private @Nullable Long abovePromptTokens;

		/**
		 * USD per million prompt tokens above the threshold.
		 */
		private @Nullable BigDecimal prompt;

		/**
		 * USD per million completion tokens above the threshold.
		 */
		private @Nullable BigDecimal completion;

		/**
		 * USD per million cache-read prompt tokens above the threshold; when unset, the
		 * cached-prompt price scaled like the prompt price.
		 */
		private @Nullable BigDecimal cachedPrompt;

		/**
		 * USD per million cache-write prompt tokens above the threshold; when unset, the
		 * cache-write price scaled like the prompt price.
		 */
		private @Nullable BigDecimal cacheWrite;

		/**
		 * USD per million one-hour cache-write prompt tokens above the threshold; when
		 * unset, the cache-write-1h price scaled like the prompt price.
		 */
		private @Nullable BigDecimal cacheWrite1h;

		public @Nullable Long getAbovePromptTokens() {
			return this.abovePromptTokens;
		}

		public void setAbovePromptTokens(@Nullable Long abovePromptTokens) {
			this.abovePromptTokens = abovePromptTokens;
		}

		public @Nullable BigDecimal getPrompt() {
			return this.prompt;
		}

		public void setPrompt(@Nullable BigDecimal prompt) {
			this.prompt = prompt;
		}

		public @Nullable BigDecimal getCompletion() {
			return this.completion;
		}

		public void setCompletion(@Nullable BigDecimal completion) {
			this.completion = completion;
		}

		public @Nullable BigDecimal getCachedPrompt() {
			return this.cachedPrompt;
		}

		public void setCachedPrompt(@Nullable BigDecimal cachedPrompt) {
			this.cachedPrompt = cachedPrompt;
		}

		public @Nullable BigDecimal getCacheWrite() {
			return this.cacheWrite;
		}

		public void setCacheWrite(@Nullable BigDecimal cacheWrite) {
			this.cacheWrite = cacheWrite;
		}

		public @Nullable BigDecimal getCacheWrite1h() {
			return this.cacheWrite1h;
		}

		public void setCacheWrite1h(@Nullable BigDecimal cacheWrite1h) {
			this.cacheWrite1h = cacheWrite1h;
		}

	}

	public static class Usage {

		/**
		 * Whether every HTTP request gets its own usage tracker (WebFlux, and Spring MVC
		 * when present).
		 */
		private boolean perRequest = true;

		/**
		 * Whether responses carry an LLM-Usage header with the request's tokens and cost,
		 * when not yet committed.
		 */
		private boolean httpHeader;

		public boolean isPerRequest() {
			return this.perRequest;
		}

		public void setPerRequest(boolean perRequest) {
			this.perRequest = perRequest;
		}

		public boolean isHttpHeader() {
			return this.httpHeader;
		}

		public void setHttpHeader(boolean httpHeader) {
			this.httpHeader = httpHeader;
		}

	}

	public static class Metrics {

		/**
		 * Whether to record the llm.* and callbacks.* meters.
		 */
		private boolean enabled = true;

		/**
		 * Names of the LLM round meters: "llm" (llm.tokens, llm.requests,
		 * llm.time.to.first.token), "otel" (the OpenTelemetry GenAI client instruments
		 * gen_ai.client.token.usage, gen_ai.client.operation.duration and
		 * gen_ai.client.operation.time_to_first_chunk, instead) or "both". Meters with no
		 * GenAI counterpart (cost, token details, tools, handler errors) keep their
		 * names.
		 */
		private String naming = "llm";

		private final Attribution attribution = new Attribution();

		private final Models models = new Models();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getNaming() {
			return this.naming;
		}

		public void setNaming(String naming) {
			this.naming = naming;
		}

		public Attribution getAttribution() {
			return this.attribution;
		}

		public Models getModels() {
			return this.models;
		}

	}

	public static class Models {

		/**
		 * Model names always recorded as themselves in the model tag, besides the models
		 * of the price table.
		 */
		private Set<String> allowed = new LinkedHashSet<>();

		/**
		 * Distinct model names without a price recorded as themselves in the model tag;
		 * further ones are recorded as "other". Model names may come from user input, and
		 * each name makes six series per client.
		 */
		private int maxUnpriced = 10;

		/**
		 * Distinct model names priced only through a prefix (dated snapshots such as
		 * gpt-4o-mini-2024-07-18) recorded as themselves in the model tag; further ones
		 * are recorded under the price entry they match (gpt-4o-mini).
		 */
		private int maxPricedVariants = 100;

		public Set<String> getAllowed() {
			return this.allowed;
		}

		public void setAllowed(Set<String> allowed) {
			this.allowed = allowed;
		}

		public int getMaxUnpriced() {
			return this.maxUnpriced;
		}

		public void setMaxUnpriced(int maxUnpriced) {
			this.maxUnpriced = maxUnpriced;
		}

		public int getMaxPricedVariants() {
			return this.maxPricedVariants;
		}

		public void setMaxPricedVariants(int maxPricedVariants) {
			this.maxPricedVariants = maxPricedVariants;
		}

	}

	public static class Attribution {

		/**
		 * Name of an extra tag on the llm.* meters (such as tenant, user or feature);
		 * none when unset. Its value is read from the run metadata entry of the same
		 * name, or from an LlmAttributionResolver bean.
		 */
		private @Nullable String tag;

		/**
		 * The values the attribution tag may take; any other value is recorded as
		 * "other", a missing one as "none". Keeps the tag's cardinality bounded.
		 */
		private Set<String> values = new LinkedHashSet<>();

		public @Nullable String getTag() {
			return this.tag;
		}

		public void setTag(@Nullable String tag) {
			this.tag = tag;
		}

		public Set<String> getValues() {
			return this.values;
		}

		public void setValues(Set<String> values) {
			this.values = values;
		}

	}

}
