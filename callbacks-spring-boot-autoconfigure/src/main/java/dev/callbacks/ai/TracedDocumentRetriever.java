package dev.callbacks.ai;

import java.util.List;

import org.springframework.ai.document.Document;
import org.springframework.ai.rag.Query;
import org.springframework.ai.rag.retrieval.search.DocumentRetriever;
import org.springframework.util.Assert;

/**
 * A {@link DocumentRetriever} whose retrievals are retriever runs of the calling chain.
 * The auto-configuration wraps {@code DocumentRetriever} beans; wrap one you build inline
 * (for a {@code RetrievalAugmentationAdvisor}) with {@link #of(DocumentRetriever)}.
 */
public final class TracedDocumentRetriever implements DocumentRetriever {

	private final DocumentRetriever delegate;

	private final String name;

	private TracedDocumentRetriever(DocumentRetriever delegate) {
		this.delegate = delegate;
		this.name = delegate.getClass().getSimpleName();
	}

	/** {@code retriever}, traced; already-traced ones are returned as they are. */
	public static DocumentRetriever of(DocumentRetriever retriever) {
		Assert.notNull(retriever, "retriever must not be null");
		return (retriever instanceof TracedDocumentRetriever) ? retriever : new TracedDocumentRetriever(retriever);
	}

	@Override
	public List<Document> retrieve(Query query) {
		return Retrievals.traced(this.name, query.text(), query.context(), () -> this.delegate.retrieve(query));
	}

	@Override
	public String toString() {
		return "TracedDocumentRetriever[" + this.delegate + "]";
	}

}
