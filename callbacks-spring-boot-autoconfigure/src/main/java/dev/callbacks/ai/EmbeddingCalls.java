package dev.callbacks.ai;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.callbacks.internal.EmbeddingRun;
import dev.callbacks.internal.Run;
import dev.callbacks.internal.RunFactory;
import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.EmbeddingResponseMetadata;
import org.springframework.aop.support.AopUtils;
import org.springframework.util.ClassUtils;

/**
 * Runs an embedding call as an embedding run: a child of the run current on the thread
 * (the retrieval whose vector-store search embeds the query, or the chain or tool), or,
 * outside any run, the root of a tree of its own with the global handlers and the tracker
 * current on the thread. Its usage is what the provider reported in the response's
 * metadata, or a JTokkit estimate flagged as such. Inside another embedding run (an
 * embedding model bean delegating to another) it just runs. Embedding calls are blocking,
 * so async handlers are awaited here.
 */
public final class EmbeddingCalls {

	private EmbeddingCalls() {
	}

	/**
	 * Performs {@code call} ({@code EmbeddingModel.call(EmbeddingRequest)} of
	 * {@code model}) as an embedding run.
	 * @param runs the engine for a call made outside any run
	 */
	public static EmbeddingResponse call(Supplier<RunFactory> runs, Object model, EmbeddingRequest request,
			Supplier<EmbeddingResponse> call) {
		Run current = Run.current();
		if (!wanted(runs, current)) {
			return call.get();
		}
		List<String> inputs = request.getInstructions();
		String named = requestedModel(request);
		String requested = named.isEmpty() ? defaultModel(model) : named;
		EmbeddingRun run = open(runs, current, model, inputs, requested);
		if (run == null) {
			return call.get();
		}
		return Lifecycles.blocking(run, run.start(), call, (response) -> {
			EmbeddingResponseMetadata metadata = (response != null) ? response.getMetadata() : null;
			String answered = (metadata != null) ? metadata.getModel() : null;
			String embedding = (answered != null && !answered.isEmpty()) ? answered : requested;
			TokenUsage usage = reported((metadata != null) ? metadata.getUsage() : null);
			if (usage == null) {
				usage = run.needsUsage() ? TokenEstimator.estimateEmbedding(embedding, inputs) : TokenUsage.ZERO;
			}
			return run.end(usage, answered, (response != null) ? response.getResults().size() : 0);
		});
	}

	/**
	 * Performs {@code call}, an embedding method of {@code model} whose own calls to the
	 * provider cannot be seen (the model implements it itself, calling itself), as one
	 * embedding run whose usage is estimated.
	 * @param inputs the texts the method embeds, read only when the call is a run
	 * @param embeddings how many vectors the method's result holds
	 */
	public static <T> T estimated(Supplier<RunFactory> runs, Object model, Supplier<List<String>> inputs,
			Supplier<T> call, Function<@Nullable T, Integer> embeddings) {
		Run current = Run.current();
		if (!wanted(runs, current)) {
			return call.get();
		}
		List<String> texts = inputs.get();
		String requested = defaultModel(model);
		EmbeddingRun run = open(runs, current, model, texts, requested);
		if (run == null) {
			return call.get();
		}
		return Lifecycles.blocking(run, run.start(), call,
				(result) -> run.end(
						run.needsUsage() ? TokenEstimator.estimateEmbedding(requested, texts) : TokenUsage.ZERO, null,
						embeddings.apply(result)));
	}

	// Decided before anything is read of the call: a call nobody listens to costs a
	// thread-local read and a few bit tests. Inside another embedding run (a model bean
	// delegating to another) the outer run is the one.
	private static boolean wanted(Supplier<RunFactory> runs, @Nullable Run current) {
		if (current instanceof EmbeddingRun) {
			return false;
		}
		return (current != null) ? EmbeddingRun.wantedUnder(current) : runs.get().wantsEmbeddingRuns();
	}

	private static @Nullable EmbeddingRun open(Supplier<RunFactory> runs, @Nullable Run current, Object model,
			List<String> inputs, String requestedModel) {
		String name = ClassUtils.getUserClass(AopUtils.getTargetClass(model)).getSimpleName();
		String provider = Providers.ofModel(model);
		if (current != null) {
			return EmbeddingRun.childOf(current, name, inputs, requestedModel, provider);
		}
		return runs.get().newEmbeddingRun(name, inputs, requestedModel, provider);
	}

	// The model's default model, for a request that names none: Spring AI's embedding
	// models expose their default options (OpenAiEmbeddingModel.getOptions(), ...), but
	// not through the interface.
	private static String defaultModel(Object model) {
		Method getter = OPTIONS_GETTERS.get(AopUtils.getTargetClass(model)).orElse(null);
		if (getter == null) {
			return "";
		}
		try {
			Object options = getter.invoke(model);
			String name = (options instanceof EmbeddingOptions embeddingOptions) ? embeddingOptions.getModel() : null;
			return (name != null) ? name : "";
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return "";
		}
	}

	private static final ClassValue<Optional<Method>> OPTIONS_GETTERS = new ClassValue<>() {
		@Override
		protected Optional<Method> computeValue(Class<?> type) {
			for (String name : new String[] { "getOptions", "getDefaultOptions" }) {
				try {
					Method getter = type.getMethod(name);
					if (EmbeddingOptions.class.isAssignableFrom(getter.getReturnType())) {
						return Optional.of(getter);
					}
				}
				catch (NoSuchMethodException | SecurityException ex) {
					// try the next name
				}
			}
			return Optional.empty();
		}
	};

	private static String requestedModel(EmbeddingRequest request) {
		EmbeddingOptions options = request.getOptions();
		String model = (options != null) ? options.getModel() : null;
		return (model != null) ? model : "";
	}

	// Embedding endpoints bill input tokens only; some report them as the total alone.
	private static @Nullable TokenUsage reported(@Nullable Usage usage) {
		if (usage == null) {
			return null;
		}
		Integer prompt = usage.getPromptTokens();
		if (prompt != null && prompt > 0) {
			return TokenUsage.of(prompt, 0);
		}
		Integer total = usage.getTotalTokens();
		if (total != null && total > 0) {
			return TokenUsage.of(total, 0);
		}
		return null;
	}

}
