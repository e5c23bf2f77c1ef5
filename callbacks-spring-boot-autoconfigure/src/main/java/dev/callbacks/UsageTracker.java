package dev.callbacks;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.callbacks.event.RunIdentity;
import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;

/**
 * Counts the tokens, requests and cost of every LLM run started while it is open: the
 * Java {@code get_openai_callback}.
 *
 * <pre class="code">
 * try (UsageTracker usage = UsageTracker.start()) {
 *     chatClient.prompt("…").call().content();
 *     Flux.merge(a, b, c).blockLast();   // three concurrent streams: all counted
 *     System.out.println(usage.totalTokens());
 * }
 * </pre>
 *
 * Embedding calls ({@code EmbeddingModel} beans: vector-store searches, indexing) are
 * counted apart, in {@link #embeddingTokens()}, {@link #embeddingRequests()} and
 * {@link #embeddingCost()}: the chat counts and {@link #totalCost()} keep meaning chat
 * alone (budgets, the ledger and the usage headers read them); {@link #overallCost()} is
 * both together.
 * <p>
 * An LLM run belongs to the tracker that was current when its {@code ChatClient} call
 * started: on the opening thread, in Reactor pipelines subscribed from it (or carrying it
 * in their context) and in tasks of context-propagating executors. Trackers nest: an
 * inner tracker's runs count in the outer one too, and {@link #close()} makes the outer
 * one current again. All methods are thread-safe; counts read while calls are still
 * running are a consistent snapshot of what has ended so far.
 */
public final class UsageTracker implements AutoCloseable {

	/** Reactor-context and context-propagation key of the current tracker. */
	public static final String CONTEXT_KEY = "dev.callbacks.usage-tracker";

	private static final ThreadLocal<UsageTracker> CURRENT = new ThreadLocal<>();

	private final @Nullable UsageTracker parent;

	private volatile boolean closed;

	// Guarded by "this". Runs end a few times per request, so a lock is cheaper than it
	// looks and keeps every snapshot consistent (LangChain does the same).
	private TokenUsage usage = TokenUsage.ZERO;

	private long successfulRequests;

	private long failedRequests;

	private BigDecimal totalCost = BigDecimal.ZERO;

	private final Map<String, TokenUsage> byModel = new LinkedHashMap<>();

	// Made when first needed: a tracker is opened per HTTP request, and most requests
	// name no user, tenant or conversation and use priced models.
	private @Nullable Map<String, TokenUsage> byUser;

	private @Nullable Map<String, TokenUsage> byTenant;

	private @Nullable Map<String, TokenUsage> byConversation;

	private @Nullable Set<String> unpricedModels;

	private long embeddingTokens;

	private long embeddingRequests;

	private long failedEmbeddingRequests;

	private boolean embeddingEstimated;

	private BigDecimal embeddingCost = BigDecimal.ZERO;

	private UsageTracker(@Nullable UsageTracker parent) {
		this.parent = parent;
		UsageTrackerThreadLocalAccessor.register();
	}

	/**
	 * Opens a tracker and makes it current on this thread; close it (try-with-resources)
	 * on the same thread.
	 */
	public static UsageTracker start() {
		UsageTracker tracker = new UsageTracker(CURRENT.get());
		CURRENT.set(tracker);
		return tracker;
	}

	/**
	 * A tracker that is not made current anywhere: for a scope you attach yourself, such
	 * as an HTTP request's Reactor context under {@link #CONTEXT_KEY}. It counts into
	 * {@code parent} too when one is given.
	 */
	public static UsageTracker detached(@Nullable UsageTracker parent) {
		return new UsageTracker(parent);
	}

	/** The tracker current on this thread, if any. */
	public static Optional<UsageTracker> current() {
		return Optional.ofNullable(CURRENT.get());
	}

	// For the context-propagation accessor, which runs for every chunk: no Optional.
	static @Nullable UsageTracker currentOrNull() {
		return CURRENT.get();
	}

	static void makeCurrent(@Nullable UsageTracker tracker) {
		if (tracker == null) {
			CURRENT.remove();
		}
		else {
			CURRENT.set(tracker);
		}
	}

	/**
	 * Stops being current: the nearest enclosing tracker that is still open becomes
	 * current again (none: the thread is left with no tracker and nothing behind). Runs
	 * already started still count when they end.
	 */
	@Override
	public void close() {
		this.closed = true;
		if (CURRENT.get() == this) {
			UsageTracker previous = this.parent;
			while (previous != null && previous.closed) {
				previous = previous.parent;
			}
			makeCurrent(previous);
		}
	}

	/** Whether {@link #close()} was called. */
	public boolean isClosed() {
		return this.closed;
	}

	/** The tracker this one was opened inside, if any. */
	public Optional<UsageTracker> parent() {
		return Optional.ofNullable(this.parent);
	}

	/** Whether {@code other} was opened inside this tracker (at any depth). */
	public boolean isAncestorOf(UsageTracker other) {
		for (UsageTracker t = other.parent; t != null; t = t.parent) {
			if (t == this) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Counts one LLM call here and in every enclosing tracker. The callbacks count every
	 * Spring AI call themselves; call it for a call made outside Spring AI (another SDK)
	 * that should count too.
	 * @param model the model that answered
	 * @param runUsage its tokens
	 * @param success whether it succeeded
	 * @param cost its cost in USD, {@code null} for an unpriced model
	 */
	public void record(String model, TokenUsage runUsage, boolean success, @Nullable BigDecimal cost) {
		record(model, RunIdentity.NONE, runUsage, success, cost);
	}

	/**
	 * Counts one LLM call made for {@code identity} here and in every enclosing tracker;
	 * see {@link #record(String, TokenUsage, boolean, BigDecimal)}.
	 */
	public void record(String model, RunIdentity identity, TokenUsage runUsage, boolean success,
			@Nullable BigDecimal cost) {
		for (UsageTracker t = this; t != null; t = t.parent) {
			t.recordHere(model, identity, runUsage, success, cost);
		}
	}

	private synchronized void recordHere(String model, RunIdentity identity, TokenUsage runUsage, boolean success,
			@Nullable BigDecimal cost) {
		if (!runUsage.isEmpty()) {
			this.byUser = addTo(this.byUser, identity.user(), runUsage);
			this.byTenant = addTo(this.byTenant, identity.tenant(), runUsage);
			this.byConversation = addTo(this.byConversation, identity.conversation(), runUsage);
		}
		this.usage = this.usage.plus(runUsage);
		if (success) {
			this.successfulRequests++;
		}
		else {
			this.failedRequests++;
		}
		if (!runUsage.isEmpty() || this.byModel.containsKey(model)) {
			this.byModel.merge(model, runUsage, TokenUsage::plus);
		}
		if (cost != null) {
			this.totalCost = this.totalCost.add(cost);
		}
		else if (!runUsage.isEmpty()) {
			addUnpriced(model);
		}
	}

	/**
	 * Counts one embedding call here and in every enclosing tracker, apart from the chat
	 * counts. The callbacks count every call of an {@code EmbeddingModel} bean
	 * themselves; call it for an embedding made outside Spring AI.
	 * @param model the model that embedded
	 * @param runUsage its tokens (input only)
	 * @param success whether it succeeded
	 * @param cost its cost in USD, {@code null} for an unpriced model
	 */
	public void recordEmbedding(String model, TokenUsage runUsage, boolean success, @Nullable BigDecimal cost) {
		for (UsageTracker t = this; t != null; t = t.parent) {
			t.recordEmbeddingHere(model, runUsage, success, cost);
		}
	}

	private synchronized void recordEmbeddingHere(String model, TokenUsage runUsage, boolean success,
			@Nullable BigDecimal cost) {
		this.embeddingTokens += runUsage.promptTokens();
		this.embeddingEstimated |= runUsage.estimated();
		if (success) {
			this.embeddingRequests++;
		}
		else {
			this.failedEmbeddingRequests++;
		}
		if (cost != null) {
			this.embeddingCost = this.embeddingCost.add(cost);
		}
		else if (!runUsage.isEmpty()) {
			addUnpriced(model);
		}
	}

	/** Input tokens of embedding calls (not part of {@link #promptTokens()}). */
	public synchronized long embeddingTokens() {
		return this.embeddingTokens;
	}

	/** Embedding calls that ended successfully (not part of the chat requests). */
	public synchronized long embeddingRequests() {
		return this.embeddingRequests;
	}

	/** Embedding calls that failed. */
	public synchronized long failedEmbeddingRequests() {
		return this.failedEmbeddingRequests;
	}

	/**
	 * Whether some of {@link #embeddingTokens()} were counted with a tokenizer because
	 * the provider reported none.
	 */
	public synchronized boolean embeddingTokensEstimated() {
		return this.embeddingEstimated;
	}

	/**
	 * The cost in USD of the embedding calls of priced models; not part of
	 * {@link #totalCost()}.
	 */
	public synchronized BigDecimal embeddingCost() {
		return this.embeddingCost;
	}

	/**
	 * {@link #totalCost()} and {@link #embeddingCost()} together: all this scope spent.
	 */
	public synchronized BigDecimal overallCost() {
		return this.totalCost.add(this.embeddingCost);
	}

	/** Prompt (input) tokens, cached ones included. */
	public synchronized long promptTokens() {
		return this.usage.promptTokens();
	}

	/** Completion (output) tokens, reasoning ones included. */
	public synchronized long completionTokens() {
		return this.usage.completionTokens();
	}

	/** Total tokens as the providers reported them. */
	public synchronized long totalTokens() {
		return this.usage.totalTokens();
	}

	/** Prompt tokens read from the providers' prompt caches. */
	public synchronized long cachedPromptTokens() {
		return this.usage.cachedPromptTokens();
	}

	/**
	 * Prompt tokens written to the providers' prompt caches (billed higher than other
	 * prompt tokens by some providers).
	 */
	public synchronized long cacheWriteTokens() {
		return this.usage.cacheWriteTokens();
	}

	/** Completion tokens spent on reasoning. */
	public synchronized long reasoningTokens() {
		return this.usage.reasoningTokens();
	}

	/** LLM runs that ended successfully. */
	public synchronized long successfulRequests() {
		return this.successfulRequests;
	}

	/** LLM runs that failed or were cancelled. */
	public synchronized long failedRequests() {
		return this.failedRequests;
	}

	/**
	 * The cost in USD of the LLM (chat) runs of priced models; see
	 * {@link #unpricedModels()} for the others and {@link #embeddingCost()} for embedding
	 * calls.
	 */
	public synchronized BigDecimal totalCost() {
		return this.totalCost;
	}

	/**
	 * Models that used tokens but have no price, so are missing from {@link #totalCost()}
	 * (chat models) or {@link #embeddingCost()} (embedding models).
	 */
	public synchronized Set<String> unpricedModels() {
		Set<String> unpriced = this.unpricedModels;
		return (unpriced != null) ? Collections.unmodifiableSet(new LinkedHashSet<>(unpriced)) : Collections.emptySet();
	}

	/** Tokens per model, as the providers named the models. */
	public synchronized Map<String, TokenUsage> byModel() {
		return Collections.unmodifiableMap(new LinkedHashMap<>(this.byModel));
	}

	/** Tokens per user the runs were made for (runs without a user are left out). */
	public synchronized Map<String, TokenUsage> byUser() {
		return copyOf(this.byUser);
	}

	/** Tokens per tenant the runs were made for (runs without a tenant are left out). */
	public synchronized Map<String, TokenUsage> byTenant() {
		return copyOf(this.byTenant);
	}

	/** Tokens per conversation (runs without a conversation are left out). */
	public synchronized Map<String, TokenUsage> byConversation() {
		return copyOf(this.byConversation);
	}

	private static @Nullable Map<String, TokenUsage> addTo(@Nullable Map<String, TokenUsage> breakdown,
			@Nullable String key, TokenUsage usage) {
		if (key == null) {
			return breakdown;
		}
		Map<String, TokenUsage> result = (breakdown != null) ? breakdown : new LinkedHashMap<>();
		result.merge(key, usage, TokenUsage::plus);
		return result;
	}

	private void addUnpriced(String model) {
		Set<String> unpriced = this.unpricedModels;
		if (unpriced == null) {
			unpriced = new LinkedHashSet<>();
			this.unpricedModels = unpriced;
		}
		unpriced.add(model);
	}

	private static Map<String, TokenUsage> copyOf(@Nullable Map<String, TokenUsage> breakdown) {
		return (breakdown != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(breakdown))
				: Collections.emptyMap();
	}

	/** All counted tokens as one {@link TokenUsage}. */
	public synchronized TokenUsage usage() {
		return this.usage;
	}

	@Override
	public synchronized String toString() {
		return "UsageTracker[prompt=" + this.usage.promptTokens() + ", completion=" + this.usage.completionTokens()
				+ ", total=" + this.usage.totalTokens() + ", requests=" + this.successfulRequests + "+"
				+ this.failedRequests + " failed, cost=" + this.totalCost.toPlainString() + ", embedding="
				+ this.embeddingTokens + " tokens/" + this.embeddingRequests + " requests/"
				+ this.embeddingCost.toPlainString() + "]";
	}

}
