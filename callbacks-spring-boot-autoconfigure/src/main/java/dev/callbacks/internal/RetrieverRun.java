package dev.callbacks.internal;

import java.util.List;

import dev.callbacks.event.RetrieverEndEvent;
import dev.callbacks.event.RetrieverErrorEvent;
import dev.callbacks.event.RetrieverStartEvent;
import reactor.core.publisher.Mono;

import org.springframework.ai.document.Document;

/**
 * One retrieval (a {@code DocumentRetriever} or a vector-store search): a child of the
 * chain or tool run.
 */
public final class RetrieverRun extends Run {

	private final ChainRun chain;

	private final String query;

	RetrieverRun(ChainRun chain, Run parent, String retrieverName, String query) {
		super(chain.dispatcher, chain.handlers, parent.id, retrieverName, chain.tags, chain.metadata, false);
		this.chain = chain;
		this.query = query;
	}

	@Override
	public ChainRun chain() {
		return this.chain;
	}

	/** Delivers the retriever start with the query. */
	public Mono<Void> start() {
		if (!listens(EventKind.RETRIEVER_START)) {
			return Mono.empty();
		}
		return emit(EventKind.RETRIEVER_START,
				new RetrieverStartEvent(this.id, this.parentId, this.name, this.tags, this.metadata, this.query));
	}

	/** Delivers the retriever end with the documents found. */
	public Mono<Void> end(List<Document> documents) {
		if (!finish()) {
			return Mono.empty();
		}
		return deliverEnd(EventKind.RETRIEVER_END,
				() -> new RetrieverEndEvent(this.id, this.parentId, this.name, this.tags, this.metadata, documents));
	}

	/** Delivers the retriever error. */
	@Override
	public Mono<Void> error(Throwable error) {
		if (!finish()) {
			return Mono.empty();
		}
		return deliverEnd(EventKind.RETRIEVER_ERROR,
				() -> new RetrieverErrorEvent(this.id, this.parentId, this.name, this.tags, this.metadata, error));
	}

	// Leaves the chain's active children once its end is with the handlers: a chain
	// cancelled meanwhile delivers its own error after it.
	@Override
	void delivered() {
		this.chain.childFinished(this);
	}

}
