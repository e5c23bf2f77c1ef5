package dev.callbacks.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.callbacks.RunCancelledException;
import dev.callbacks.UsageTracker;
import dev.callbacks.budget.Budget;
import dev.callbacks.budget.BudgetEnforcer;
import dev.callbacks.event.ChainEndEvent;
import dev.callbacks.event.ChainErrorEvent;
import dev.callbacks.event.ChainStartEvent;
import dev.callbacks.event.RunIdentity;
import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.MessageType;

/**
 * The run of one {@code ChatClient} {@code call()} or {@code stream()}: the root of its
 * tree (or, for a client called from inside another run, such as a tool, a child of that
 * run). Its LLM, tool and retriever runs are its children; it sums their usage and hands
 * it to the open {@link UsageTracker}s.
 */
public final class ChainRun extends Run {

	private final UsageTracker @Nullable [] trackers;

	// The round in progress, so that a cancel ends it before the chain (children end
	// before parents).
	private volatile @Nullable LlmRun activeLlmRun;

	// Set under "this" when the chain is being cancelled: no new round may start.
	private boolean closing;

	// Per async handler, how long it has kept this run tree waiting: one timeout bounds
	// a hung handler per run tree, not per event. Created on first use.
	private volatile @Nullable Map<HandlerEntry, AtomicLong> asyncWaits;

	// Tool and retriever runs in progress, for the same reason; guarded by "this",
	// created on first use.
	private @Nullable Set<Run> activeChildren;

	// The error of a cancelled chain whose children were still ending on other threads:
	// delivered when the last of them has (guarded by "this").
	private @Nullable RunCancelledException pendingCancel;

	// Guarded by "this": LLM rounds of one chain are sequential, but a cancelled stream
	// may race its last round.
	private TokenUsage usage = TokenUsage.ZERO;

	// The advisor chain that runs this call: the identity by which duplicate advisors
	// recognise their run.
	private final Object startedBy;

	final Accounting accounting;

	private final @Nullable BudgetEnforcer budgetEnforcer;

	private final List<Budget> codeBudgets;

	ChainRun(Dispatcher dispatcher, Accounting accounting, HandlerSet handlers, @Nullable UUID parentId, String name,
			List<String> tags, Map<String, Object> metadata, UsageTracker @Nullable [] trackers, boolean streaming,
			Object startedBy, @Nullable BudgetEnforcer budgetEnforcer, List<Budget> codeBudgets) {
		super(dispatcher, handlers, parentId, name, tags, metadata, streaming);
		this.accounting = accounting;
		this.budgetEnforcer = budgetEnforcer;
		this.codeBudgets = codeBudgets;
		this.trackers = trackers;
		this.startedBy = startedBy;
	}

	/**
	 * Whether this run was started for {@code advisorChain} (a duplicate advisor of the
	 * same call).
	 */
	public boolean isStartedBy(Object advisorChain) {
		return this.startedBy == advisorChain;
	}

	@Override
	public ChainRun chain() {
		return this;
	}

	/**
	 * What checks this chain's model rounds against budgets; {@code null} when no budget
	 * can apply (none configured, none given in code).
	 */
	public @Nullable BudgetEnforcer budgetEnforcer() {
		return budgetApplies(this.budgetEnforcer, !this.codeBudgets.isEmpty()) ? this.budgetEnforcer : null;
	}

	/**
	 * Whether a budget can apply to a chain: configured ones, or ones given in code
	 * ({@code codeBudgets}), which need the enforcer too.
	 */
	static boolean budgetApplies(@Nullable BudgetEnforcer enforcer, boolean codeBudgets) {
		return enforcer != null && (!enforcer.isEmpty() || codeBudgets);
	}

	/** Budgets given in code for this client or request. */
	public List<Budget> codeBudgets() {
		return this.codeBudgets;
	}

	/** Whom this chain runs for. */
	public RunIdentity identity() {
		return RunIdentity.of(this.metadata);
	}

	@Override
	void finished() {
		// The per-request budget counts of this call are no longer needed.
		BudgetEnforcer enforcer = budgetEnforcer();
		if (enforcer != null) {
			enforcer.requestEnded(this.id.toString());
		}
	}

	/**
	 * Whether any handler reads the chain's output text, so the adapter should collect
	 * it.
	 */
	public boolean wantsOutput() {
		return listens(EventKind.CHAIN_END);
	}

	/**
	 * Whether nothing listens to this chain at all (no handler, tracker or observer) and
	 * no budget applies to it: the adapter steps aside.
	 */
	public boolean isInert() {
		return this.handlers.isEmpty() && this.trackers == null && !this.accounting.hasObservers()
				&& budgetEnforcer() == null;
	}

	/**
	 * Whether tool executions need wrapping: a handler listens to tool, retriever or
	 * custom events.
	 */
	public boolean wantsToolRuns() {
		return this.accounting.hasObservers() || this.handlers.listensAny(EventKind.Category.TOOL.mask()
				| EventKind.Category.RETRIEVER.mask() | EventKind.Category.CUSTOM.mask());
	}

	/**
	 * Whether retrievals need tracing: a handler listens to retriever or custom events.
	 */
	public boolean wantsRetrieverRuns() {
		return this.handlers.listensAny(EventKind.Category.RETRIEVER.mask() | EventKind.Category.CUSTOM.mask());
	}

	/**
	 * Whether anything (handlers, trackers, observers) needs this chain's token counts.
	 */
	public boolean needsUsage() {
		return this.trackers != null || this.accounting.hasObservers()
				|| this.handlers.listensAny(EventKind.LLM_END.bit | EventKind.CHAIN_END.bit);
	}

	UsageTracker @Nullable [] trackers() {
		return this.trackers;
	}

	/** The summed usage of the LLM runs that have ended so far. */
	public synchronized TokenUsage usage() {
		return this.usage;
	}

	synchronized void addUsage(TokenUsage roundUsage) {
		this.usage = this.usage.plus(roundUsage);
	}

	// The last ended round, for tool meters: its usage belongs to a tool exactly when it
	// asked for that tool alone. Guarded by "this".
	private @Nullable TokenUsage lastRoundUsage;

	private int lastRoundToolCalls;

	synchronized void roundEnded(TokenUsage roundUsage, int toolCalls) {
		this.lastRoundUsage = roundUsage;
		this.lastRoundToolCalls = toolCalls;
	}

	synchronized @Nullable TokenUsage usageOfTheRoundAskingForOneTool() {
		return (this.lastRoundToolCalls == 1) ? this.lastRoundUsage : null;
	}

	/**
	 * What is left of {@code timeout} for {@code entry} in this run tree (nanoseconds).
	 */
	long asyncBudgetNanos(HandlerEntry entry, long timeoutNanos) {
		Map<HandlerEntry, AtomicLong> waits = this.asyncWaits;
		AtomicLong spent = (waits != null) ? waits.get(entry) : null;
		return (spent != null) ? timeoutNanos - spent.get() : timeoutNanos;
	}

	/** Adds {@code nanos} to the time {@code entry} kept this run tree waiting. */
	void asyncWaited(HandlerEntry entry, long nanos) {
		Map<HandlerEntry, AtomicLong> waits = this.asyncWaits;
		if (waits == null) {
			synchronized (this) {
				waits = this.asyncWaits;
				if (waits == null) {
					waits = new ConcurrentHashMap<>(4);
					this.asyncWaits = waits;
				}
			}
		}
		waits.computeIfAbsent(entry, (key) -> new AtomicLong()).addAndGet(nanos);
	}

	/** Delivers the chain start with the prompt's messages. */
	public Mono<Void> start(List<Message> messages) {
		if (!listens(EventKind.CHAIN_START)) {
			return Mono.empty();
		}
		String input = lastUserText(messages);
		Map<String, Object> inputs = (input != null) ? Map.of("messages", messages, "input", input)
				: Map.of("messages", messages);
		return emit(EventKind.CHAIN_START,
				new ChainStartEvent(this.id, this.parentId, this.name, this.tags, this.metadata, inputs));
	}

	/**
	 * Starts an LLM run, a child of this chain; deliver its start with
	 * {@link LlmRun#start()}. Adapters check {@link #isFinished()} first: a chain that
	 * has ended (a cancelled stream) gets no new runs.
	 * @param messages the prompt, as handlers see it in the chat-model start event
	 * @param model the requested model ({@code ""} when the request names none)
	 * @param provider the provider's name, for accounting
	 * @return the run, or {@code null} when the chain has ended or is being cancelled
	 */
	public @Nullable LlmRun newLlmRun(List<Message> messages, String model, String provider, boolean streaming,
			Object startedBy) {
		// Under the lock that cancel() takes: a round that starts while the chain is
		// being cancelled would otherwise end after its parent.
		synchronized (this) {
			if (this.closing || isFinished()) {
				return null;
			}
			LlmRun run = new LlmRun(this, messages, model, provider, streaming, startedBy);
			this.activeLlmRun = run;
			return run;
		}
	}

	/** Starts a tool run, a child of this chain. */
	public ToolRun newToolRun(String toolName, String input) {
		return started(new ToolRun(this, toolName, input));
	}

	/**
	 * Starts a retriever run, a child of {@code parent} (this chain or one of its tool
	 * runs).
	 */
	public RetrieverRun newRetrieverRun(Run parent, String retrieverName, String query) {
		return started(new RetrieverRun(this, parent, retrieverName, query));
	}

	private synchronized <R extends Run> R started(R child) {
		if (this.activeChildren == null) {
			this.activeChildren = new LinkedHashSet<>(4);
		}
		this.activeChildren.add(child);
		return child;
	}

	/**
	 * A tool or retriever run has handed its end or error to the handlers. The last one
	 * of a cancelled chain delivers the chain's error, which waited for it.
	 */
	void childFinished(Run child) {
		RunCancelledException pending = null;
		synchronized (this) {
			if (this.activeChildren != null) {
				this.activeChildren.remove(child);
			}
			if (this.pendingCancel != null && (this.activeChildren == null || this.activeChildren.isEmpty())) {
				pending = this.pendingCancel;
				this.pendingCancel = null;
			}
		}
		if (pending != null) {
			detach(errorEvent(pending));
		}
	}

	private synchronized List<Run> activeChildren() {
		return (this.activeChildren != null) ? new ArrayList<>(this.activeChildren) : List.of();
	}

	/** Delivers the chain end with the answer's text and the summed usage. */
	public Mono<Void> end(@Nullable String output) {
		if (!finish() || !listens(EventKind.CHAIN_END)) {
			return Mono.empty();
		}
		Map<String, Object> outputs = Map.of("output", (output != null) ? output : "", "usage", usage());
		return emit(EventKind.CHAIN_END,
				new ChainEndEvent(this.id, this.parentId, this.name, this.tags, this.metadata, outputs));
	}

	@Override
	Mono<Void> cancelled(String reason) {
		cancel();
		return Mono.empty();
	}

	/** Delivers the chain error. */
	@Override
	public Mono<Void> error(Throwable error) {
		if (!finish()) {
			return Mono.empty();
		}
		return errorEvent(error);
	}

	private Mono<Void> errorEvent(Throwable error) {
		return deliverEnd(EventKind.CHAIN_ERROR,
				() -> new ChainErrorEvent(this.id, this.parentId, this.name, this.tags, this.metadata, error));
	}

	/**
	 * Ends the chain because its subscriber cancelled; async handlers are not awaited.
	 */
	public void cancel() {
		// Children first: a tool still running on another thread ends as cancelled before
		// its parent, and its late result (or a round Spring AI starts after the cancel)
		// finds the chain finished and stays silent.
		LlmRun round;
		synchronized (this) {
			this.closing = true;
			round = this.activeLlmRun;
		}
		if (round != null) {
			round.cancel();
		}
		String reason = "The subscriber cancelled the " + this.name + " stream";
		for (Run child : activeChildren()) {
			detach(child.cancelled(reason));
		}
		if (!finish()) {
			return;
		}
		// A child that another thread is ending (a tool the cancel interrupted, failing
		// on its own thread) is still handing its event to the handlers: the chain's
		// error follows it, delivered by whichever of them is last.
		RunCancelledException cancelled = new RunCancelledException(reason);
		synchronized (this) {
			if (this.activeChildren != null && !this.activeChildren.isEmpty()) {
				this.pendingCancel = cancelled;
				return;
			}
		}
		detach(errorEvent(cancelled));
	}

	private static @Nullable String lastUserText(List<Message> messages) {
		for (int i = messages.size() - 1; i >= 0; i--) {
			Message message = messages.get(i);
			if (message.getMessageType() == MessageType.USER) {
				return message.getText();
			}
		}
		return null;
	}

}
