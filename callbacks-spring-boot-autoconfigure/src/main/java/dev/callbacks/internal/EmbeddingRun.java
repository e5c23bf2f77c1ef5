package dev.callbacks.internal;

import java.time.Instant;
import java.util.List;

import dev.callbacks.EmbeddingRunRecord;
import dev.callbacks.event.EmbeddingEndEvent;
import dev.callbacks.event.EmbeddingErrorEvent;
import dev.callbacks.event.EmbeddingStartEvent;
import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * One call of an embedding model: a child of the run it is made from (a retrieval, whose
 * vector-store search embeds the query, or a chain or tool), or the root of a tree of its
 * own when made outside any run (indexing documents at start-up). On end or error it
 * accounts its tokens apart from chat usage: the trackers' embedding counts and the
 * observers' embedding records.
 * <p>
 * A root call has no chain run of its own that handlers would see; it still has an unseen
 * one that holds what a tree shares (handlers, trackers, the time async handlers may keep
 * it waiting), so that it is delivered and accounted like any other run.
 */
public final class EmbeddingRun extends Run {

	private final ChainRun chain;

	private final boolean root;

	private final List<String> inputs;

	private final String requestedModel;

	private final String provider;

	private final long startNanos;

	EmbeddingRun(ChainRun chain, @Nullable Run parent, String name, List<String> inputs, String requestedModel,
			String provider) {
		super(chain.dispatcher, chain.handlers, (parent != null) ? parent.id : null, name, chain.tags, chain.metadata,
				false);
		this.chain = chain;
		this.root = parent == null;
		this.inputs = inputs;
		this.requestedModel = requestedModel;
		this.provider = provider;
		this.startNanos = System.nanoTime();
	}

	/**
	 * An embedding run, a child of {@code parent}; {@code null} when nothing listens to
	 * it (no handler of the tree listens to embedding events, no tracker, no observer) or
	 * the parent's tree has ended.
	 * @param name the run's name (the embedding model's class)
	 * @param inputs the texts to embed
	 * @param requestedModel the model the request names, {@code ""} if none
	 * @param provider the provider's name, for accounting
	 */
	public static @Nullable EmbeddingRun childOf(Run parent, String name, List<String> inputs, String requestedModel,
			String provider) {
		ChainRun chain = parent.chain();
		if (chain.isFinished() || !wanted(chain)) {
			return null;
		}
		return new EmbeddingRun(chain, parent, name, inputs, requestedModel, provider);
	}

	/**
	 * Whether an embedding call made inside {@code parent} is to be a run: its tree goes
	 * on and something listens (a handler of the tree to embedding events, a tracker, an
	 * observer).
	 */
	public static boolean wantedUnder(Run parent) {
		ChainRun chain = parent.chain();
		return !chain.isFinished() && wanted(chain);
	}

	static boolean wanted(ChainRun chain) {
		return chain.trackers() != null || chain.accounting.hasObservers()
				|| chain.handlers.listensAny(EventKind.Category.EMBEDDING.mask());
	}

	@Override
	public ChainRun chain() {
		return this.chain;
	}

	/**
	 * Whether anything needs the call's tokens (so the adapter estimates them when the
	 * provider reports none).
	 */
	public boolean needsUsage() {
		return this.chain.trackers() != null || this.chain.accounting.hasObservers()
				|| listens(EventKind.EMBEDDING_END);
	}

	/** Delivers the embedding start; await it before calling the model. */
	public Mono<Void> start() {
		if (!listens(EventKind.EMBEDDING_START)) {
			return Mono.empty();
		}
		return emit(EventKind.EMBEDDING_START, new EmbeddingStartEvent(this.id, this.parentId, this.name, this.tags,
				this.metadata, this.inputs, this.requestedModel));
	}

	/**
	 * Ends the call.
	 * @param usage its tokens: reported, or estimated by the adapter
	 * @param model the model that embedded, if the response names it
	 * @param embeddings how many vectors came back
	 */
	public Mono<Void> end(TokenUsage usage, @Nullable String model, int embeddings) {
		if (!finish()) {
			return Mono.empty();
		}
		String embedding = modelName(model);
		account(embedding, usage, true);
		if (!listens(EventKind.EMBEDDING_END)) {
			return Mono.empty();
		}
		return emit(EventKind.EMBEDDING_END, new EmbeddingEndEvent(this.id, this.parentId, this.name, this.tags,
				this.metadata, usage, embedding, embeddings));
	}

	/** Delivers the embedding error; the failed call counts as a failed request. */
	@Override
	public Mono<Void> error(Throwable error) {
		if (!finish()) {
			return Mono.empty();
		}
		account(modelName(null), TokenUsage.ZERO, false);
		if (!listens(EventKind.EMBEDDING_ERROR)) {
			return Mono.empty();
		}
		return emit(EventKind.EMBEDDING_ERROR,
				new EmbeddingErrorEvent(this.id, this.parentId, this.name, this.tags, this.metadata, error));
	}

	private String modelName(@Nullable String reported) {
		if (reported != null && !reported.isEmpty()) {
			return reported;
		}
		return this.requestedModel.isEmpty() ? this.name : this.requestedModel;
	}

	private void account(String model, TokenUsage usage, boolean success) {
		this.chain.accounting.accountEmbedding(this.chain.trackers(), model, usage, success, (cost) -> {
			long now = System.nanoTime();
			return new EmbeddingRunRecord(this.id, this.parentId, this.root ? null : this.chain.id,
					this.root ? EmbeddingRunRecord.NO_CLIENT : this.chain.name, this.provider, model, usage, cost,
					success, this.inputs.size(), now - this.startNanos, this.tags, this.metadata);
		});
	}

}
