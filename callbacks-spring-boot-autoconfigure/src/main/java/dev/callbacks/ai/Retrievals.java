package dev.callbacks.ai;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.callbacks.internal.ChainRun;
import dev.callbacks.internal.RetrieverRun;
import dev.callbacks.internal.Run;
import dev.callbacks.internal.ToolRun;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.document.Document;

/**
 * Runs a retrieval as a retriever run of the current run tree: a child of the current
 * tool run, or of the chain. The run is found on the current thread or, failing that, in
 * the request context the retrieval carries (Spring AI's RAG advisor passes it in
 * {@code Query.context()}, which lets streams work without thread-local propagation).
 * Outside a run, or inside another retrieval (a retriever bean that searches a
 * vector-store bean), it just runs. Retrievals are blocking, so async handlers are
 * awaited here.
 */
public final class Retrievals {

	private Retrievals() {
	}

	/**
	 * Performs {@code retrieval} for {@code query}, delivering retriever events around
	 * it.
	 * @param requestContext the advisor context the retrieval was made with, if it
	 * carries one
	 */
	public static List<Document> traced(String retrieverName, String query,
			@Nullable Map<String, ? extends @Nullable Object> requestContext, Supplier<List<Document>> retrieval) {
		Run current = Run.current();
		if (current == null && requestContext != null) {
			current = ChainRunAdvisor.chainRunOf(requestContext);
		}
		if (current == null || current instanceof RetrieverRun || current.chain().isFinished()
				|| !current.chain().wantsRetrieverRuns()) {
			return retrieval.get();
		}
		ChainRun chain = current.chain();
		RetrieverRun run = chain.newRetrieverRun((current instanceof ToolRun) ? current : chain, retrieverName, query);
		return Lifecycles.blocking(run, run.start(), retrieval,
				(documents) -> run.end((documents != null) ? documents : List.of()));
	}

}
