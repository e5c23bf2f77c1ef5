package dev.callbacks.ai;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.ai.rag.Query;
import org.springframework.ai.vectorstore.SearchRequest;

/**
 * How the retrieval methods the adapter traces take their query: Spring AI's
 * {@code Query} (document retrievers, with the advisor context) and {@code SearchRequest}
 * (vector stores). Each is loaded only when its module is on the class path.
 */
public final class RetrievalArguments {

	private RetrievalArguments() {
	}

	/** The argument of {@code DocumentRetriever.retrieve(Query)}. */
	public static RetrievalInterceptor.RetrievalArgument query() {
		return new RetrievalInterceptor.RetrievalArgument() {
			@Override
			public @Nullable String query(@Nullable Object argument) {
				return (argument instanceof Query query) ? query.text() : null;
			}

			@Override
			public @Nullable Map<String, ? extends @Nullable Object> context(@Nullable Object argument) {
				return (argument instanceof Query query) ? query.context() : null;
			}
		};
	}

	/** The argument of {@code VectorStore.similaritySearch(SearchRequest)}. */
	public static RetrievalInterceptor.RetrievalArgument searchRequest() {
		return (argument) -> (argument instanceof SearchRequest request) ? request.getQuery() : null;
	}

}
