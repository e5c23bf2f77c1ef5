package dev.callbacks.ai;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import dev.callbacks.CallbackConfig;
import dev.callbacks.CallbackManager;
import dev.callbacks.budget.BudgetEnforcer;
import dev.callbacks.internal.ChainRun;
import dev.callbacks.internal.Level;
import dev.callbacks.internal.Run;
import dev.callbacks.internal.RunFactory;
import dev.callbacks.internal.RunThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.Advisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisor;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.core.Ordered;
import org.springframework.util.Assert;

/**
 * Turns one {@code ChatClient} {@code call()} or {@code stream()} into a chain run.
 * Ordered first, so it sees the whole exchange once — memory, retrieval and every tool
 * round happen inside it — and wraps the request's tools so that each execution becomes a
 * tool run.
 * <p>
 * A chain may hold several of these: one from the auto-configuration (carrying the
 * application's {@link CallbackManager}) and one per {@link CallbackConfig} applied to
 * the client or the request (carrying that level's handlers). The first to run reads them
 * all from the advisor chain, starts the chain run, and the others step aside. Nothing is
 * put in the request's advisor context (Spring AI copies it for every streamed chunk at
 * every advisor), except the chain run when a handler listens to retrievals: Spring AI's
 * RAG advisor hands that context to retrievers, which may run where no thread-local
 * reaches.
 */
public final class ChainRunAdvisor implements CallAdvisor, StreamAdvisor {

	/** The advisor's name, as Spring AI's observations give it. */
	public static final String NAME = "CallbacksChainRunAdvisor";

	/**
	 * An advisor that carries nothing: callbacks with the standalone manager and the
	 * levels in the chain.
	 */
	public static final ChainRunAdvisor INSTANCE = new ChainRunAdvisor(null, null);

	/**
	 * Request-context key of the chain run, set only when a handler listens to
	 * retrievals.
	 */
	public static final String CHAIN_RUN_KEY = "dev.callbacks.chain-run";

	/**
	 * Reactor-context key under which streams find their run (chain, then LLM round).
	 * Unlike {@link Run#CONTEXT_KEY} no thread-local accessor is registered for it, so
	 * Reactor does not restore it on every chunk.
	 */
	static final String STREAM_RUN_KEY = "dev.callbacks.stream-run";

	private final @Nullable RunFactory runs;

	private final @Nullable Level level;

	private ChainRunAdvisor(@Nullable RunFactory runs, @Nullable Level level) {
		this.runs = runs;
		this.level = level;
	}

	/**
	 * The advisor of an application's manager: its global handlers, observers and prices.
	 */
	public static ChainRunAdvisor of(CallbackManager manager) {
		Assert.notNull(manager, "manager must not be null");
		BudgetEnforcer budgets = manager.budgetEnforcer();
		if (budgets != null && !budgets.isEmpty()) {
			// Every round will be counted before it is sent: load the tokenizer now.
			TokenEstimator.warmUp();
		}
		return new ChainRunAdvisor(RunFactory.of(manager), null);
	}

	/** The advisor of one applied {@link CallbackConfig}. */
	public static ChainRunAdvisor of(CallbackConfig.Snapshot level) {
		Assert.notNull(level, "level must not be null");
		return new ChainRunAdvisor(null, Level.of(level));
	}

	/** Whether this advisor carries an application's manager. */
	boolean carriesManager() {
		return this.runs != null;
	}

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
		Run current = Run.current();
		if (current != null && current.chain().isStartedBy(chain)) {
			return chain.nextCall(request);
		}
		SetUp setUp = SetUp.of(chain.getCallAdvisors());
		if (setUp.runs.isInert(setUp.levels, null)) {
			return chain.nextCall(request);
		}
		ChainRun run = setUp.runs.newChainRun(setUp.levels, current, null, false, chain, Identities.of(request));
		ChatClientRequest inner = enter(request, run);
		return Lifecycles.blocking(run, run.start(request.prompt().getInstructions()), () -> chain.nextCall(inner),
				(response) -> run.end(run.wantsOutput() ? ChatResponses.textOf(response.chatResponse()) : null));
	}

	@Override
	public Flux<ChatClientResponse> adviseStream(ChatClientRequest request, StreamAdvisorChain chain) {
		return Flux.deferContextual(reactorContext -> {
			Run current = currentRun(reactorContext);
			if (current != null && current.chain().isStartedBy(chain)) {
				return chain.nextStream(request);
			}
			SetUp setUp = SetUp.of(chain.getStreamAdvisors());
			if (setUp.runs.isInert(setUp.levels, reactorContext)) {
				// Before whom the call is for is looked up: a reactive security context
				// would otherwise put an operator on the path every chunk takes.
				return chain.nextStream(request);
			}
			if (!Identities.inReactiveContext(reactorContext)) {
				// The common case needs no subscription of its own: no extra operator on
				// the path every chunk takes.
				return stream(request, chain, setUp, current, reactorContext, Identities.of(request));
			}
			return Identities.of(request, reactorContext)
				.flatMapMany((identity) -> stream(request, chain, setUp, current, reactorContext, identity));
		});
	}

	private Flux<ChatClientResponse> stream(ChatClientRequest request, StreamAdvisorChain chain, SetUp setUp,
			@Nullable Run current, ContextView reactorContext, Map<String, Object> identity) {
		ChainRun run = setUp.runs.newChainRun(setUp.levels, current, reactorContext, true, chain, identity);
		if (run.isInert()) {
			return chain.nextStream(request);
		}
		ChatClientRequest inner = enter(request, run);
		StringBuilder output = run.wantsOutput() ? new StringBuilder() : null;
		Flux<ChatClientResponse> body = chain.nextStream(inner);
		java.util.function.Consumer<ChatClientResponse> seen = null;
		if (output != null) {
			seen = (response) -> {
				String text = ChatResponses.textOf(response.chatResponse());
				if (text != null) {
					output.append(text);
				}
			};
		}
		// The advisors inside find the run in the Reactor context. Code they run (a
		// vector store searched on a worker thread) finds it on the thread when
		// automatic context propagation is on, but only under the key with a
		// thread-local accessor, which Reactor restores for every chunk: only when
		// someone listens.
		java.util.function.Function<Context, Context> context;
		if (run.wantsRetrieverRuns()) {
			RunThreadLocalAccessor.register();
			context = (outer) -> outer.put(STREAM_RUN_KEY, run).put(Run.CONTEXT_KEY, run);
		}
		else {
			context = (outer) -> outer.put(STREAM_RUN_KEY, run);
		}
		return Lifecycles.streaming(run.start(request.prompt().getInstructions()), body, seen, context,
				() -> run.end((output != null) ? output.toString() : null), run::error, run::cancel);
	}

	static @Nullable Run currentRun(ContextView reactorContext) {
		Run inContext = reactorContext.getOrDefault(STREAM_RUN_KEY, null);
		return (inContext != null) ? inContext : Run.current();
	}

	/**
	 * What the chain's advisors carry: the manager's engine (the first advisor that has
	 * one, else the standalone engine) and the levels, in the order they were applied.
	 */
	private record SetUp(RunFactory runs, List<Level> levels) {

		static SetUp of(List<? extends Advisor> advisors) {
			RunFactory runs = null;
			List<Level> levels = null;
			for (Advisor advisor : advisors) {
				if (advisor instanceof ChainRunAdvisor chainAdvisor) {
					if (runs == null) {
						runs = chainAdvisor.runs;
					}
					if (chainAdvisor.level != null) {
						if (levels == null) {
							levels = new ArrayList<>(2);
						}
						levels.add(chainAdvisor.level);
					}
				}
			}
			if (levels != null && levels.size() > 1) {
				// Not the chain's order: Spring AI's chain reverses advisors of equal
				// order. A level's sequence is when it was applied, and a client is
				// configured before its requests are made.
				levels.sort(Comparator.comparingLong(Level::sequence));
			}
			return new SetUp((runs != null) ? runs : RunFactory.standalone(), (levels != null) ? levels : List.of());
		}

	}

	private static ChatClientRequest enter(ChatClientRequest request, ChainRun run) {
		Prompt prompt = request.prompt();
		if (run.wantsToolRuns()) {
			Prompt withTools = wrapTools(prompt, run);
			if (withTools != null) {
				prompt = withTools;
			}
		}
		if (!run.wantsRetrieverRuns()) {
			return (prompt != request.prompt())
					? ChatClientRequest.builder().prompt(prompt).context(request.context()).build() : request;
		}
		// Not request.mutate(), which deep-copies every message; not a put into the
		// request's own context, which an outer advisor may pass down again (a retry):
		// each pass must get a run of its own.
		return ChatClientRequest.builder()
			.prompt(prompt)
			.context(request.context())
			.context(CHAIN_RUN_KEY, run)
			.build();
	}

	// Every tool of the request is wrapped for this run only; the model still sees the
	// same definitions.
	private static @Nullable Prompt wrapTools(Prompt prompt, ChainRun run) {
		ChatOptions options = prompt.getOptions();
		if (!(options instanceof ToolCallingChatOptions toolOptions)) {
			return null;
		}
		List<ToolCallback> callbacks = toolOptions.getToolCallbacks();
		if (callbacks == null || callbacks.isEmpty()) {
			return null;
		}
		List<ToolCallback> wrapped = new ArrayList<>(callbacks.size());
		for (ToolCallback callback : callbacks) {
			wrapped.add(new CallbackToolCallback(callback, run));
		}
		ToolCallingChatOptions.Builder<?> builder = toolOptions.mutate();
		builder.toolCallbacks(wrapped);
		return prompt.mutate().chatOptions(builder.build()).build();
	}

	/**
	 * The chain run a request context carries (only when a handler listens to
	 * retrievals).
	 */
	static @Nullable ChainRun chainRunOf(Map<String, ? extends @Nullable Object> context) {
		return (context.get(CHAIN_RUN_KEY) instanceof ChainRun run) ? run : null;
	}

	@Override
	public String toString() {
		return (this.runs != null) ? "ChainRunAdvisor[application]"
				: (this.level != null) ? "ChainRunAdvisor[" + this.level + "]" : "ChainRunAdvisor";
	}

}
