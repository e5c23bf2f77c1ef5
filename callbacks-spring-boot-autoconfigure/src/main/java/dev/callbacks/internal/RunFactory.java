package dev.callbacks.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.callbacks.BaseCallbackHandler;
import dev.callbacks.CallbackManager;
import dev.callbacks.EmbeddingRunRecord;
import dev.callbacks.UsageTracker;
import dev.callbacks.budget.Budget;
import dev.callbacks.budget.BudgetEnforcer;
import org.jspecify.annotations.Nullable;
import reactor.util.context.ContextView;

import org.springframework.core.annotation.AnnotationAwareOrderComparator;

/**
 * Creates the chain run of one {@code ChatClient} call from a {@link CallbackManager}'s
 * global handlers and the levels (client, request) applied to the call, with the trackers
 * it counts into; and the run of an embedding call made outside any run. Holds the
 * dispatcher and accounting its runs use.
 */
public final class RunFactory {

	private static volatile @Nullable RunFactory standalone;

	private final HandlerSet globalHandlers;

	private final Dispatcher dispatcher;

	private final Accounting accounting;

	private final @Nullable BudgetEnforcer budgets;

	private RunFactory(CallbackManager manager) {
		List<BaseCallbackHandler> handlers = new ArrayList<>(manager.handlers());
		AnnotationAwareOrderComparator.sort(handlers);
		this.globalHandlers = HandlerSet.of(handlers);
		this.dispatcher = new Dispatcher(manager.observers(), manager.asyncTimeout(), manager.syncHandlerScheduler());
		this.accounting = new Accounting(manager.prices(), manager.observers());
		this.budgets = manager.budgetEnforcer();
	}

	/** The engine of {@code manager}. */
	public static RunFactory of(CallbackManager manager) {
		return new RunFactory(manager);
	}

	/**
	 * The engine of clients the auto-configuration never saw: no global handlers, bundled
	 * prices.
	 */
	public static RunFactory standalone() {
		RunFactory result = standalone;
		if (result == null) {
			result = of(CallbackManager.builder().build());
			standalone = result;
		}
		return result;
	}

	/** How ended runs are priced and reported. */
	public Accounting accounting() {
		return this.accounting;
	}

	/**
	 * Whether the chain run {@link #newChainRun} would make for {@code levels} and
	 * {@code reactorContext} is {@linkplain ChainRun#isInert() inert}: answered without
	 * making it, so that a call nothing listens to costs no run and no look-up of whom it
	 * is for (the user's security context, the conversation).
	 */
	public boolean isInert(List<Level> levels, @Nullable ContextView reactorContext) {
		if (!this.globalHandlers.isEmpty() || this.accounting.hasObservers()) {
			return false;
		}
		boolean levelBudgets = false;
		for (Level level : levels) {
			if (!level.handlers.isEmpty()) {
				return false;
			}
			levelBudgets |= !level.config.budgets().isEmpty();
		}
		return !ChainRun.budgetApplies(this.budgets, levelBudgets) && trackers(reactorContext) == null;
	}

	/**
	 * Creates the chain run of one {@code ChatClient} call: its handlers are the global
	 * ones followed by those of {@code levels} (in the order given); its usage goes to
	 * the tracker current on this thread or in {@code reactorContext}. No event is
	 * delivered yet.
	 * @param parent the run the call is made from (a tool calling another client), if any
	 * @param startedBy the advisor chain that runs the call: advisors of the same chain
	 * step aside
	 * @param implicitMetadata what the call says of itself (user, conversation), beneath
	 * what the levels set
	 */
	public ChainRun newChainRun(List<Level> levels, @Nullable Run parent, @Nullable ContextView reactorContext,
			boolean streaming, Object startedBy, Map<String, Object> implicitMetadata) {
		HandlerSet handlers = this.globalHandlers;
		String name = CallbackManager.DEFAULT_CHAIN_NAME;
		List<String> tags = List.of();
		Map<String, Object> metadata = implicitMetadata;
		List<Budget> codeBudgets = List.of();
		if (!levels.isEmpty()) {
			List<Budget> allBudgets = null;
			List<String> allTags = new ArrayList<>();
			Map<String, Object> allMetadata = new LinkedHashMap<>(implicitMetadata);
			for (Level level : levels) {
				handlers = handlers.plus(level.handlers);
				for (String tag : level.config.tags()) {
					if (!allTags.contains(tag)) {
						allTags.add(tag);
					}
				}
				allMetadata.putAll(level.config.metadata());
				String levelName = level.config.name();
				if (levelName != null) {
					name = levelName;
				}
				if (!level.config.budgets().isEmpty()) {
					if (allBudgets == null) {
						allBudgets = new ArrayList<>(2);
					}
					allBudgets.addAll(level.config.budgets());
				}
			}
			if (allBudgets != null) {
				codeBudgets = List.copyOf(allBudgets);
			}
			tags = List.copyOf(allTags);
			metadata = Collections.unmodifiableMap(allMetadata);
		}
		return new ChainRun(this.dispatcher, this.accounting, handlers, (parent != null) ? parent.id() : null, name,
				tags, metadata, trackers(reactorContext), streaming, startedBy, this.budgets, codeBudgets);
	}

	/**
	 * Creates the run of an embedding call made outside any run (indexing documents at
	 * start-up): the root of a tree of its own, delivered to the global handlers and
	 * counted by the tracker current on this thread. No event is delivered yet.
	 * @return the run, or {@code null} when nothing listens (no global handler listens to
	 * embedding events, no tracker is current, no observer)
	 */
	public @Nullable EmbeddingRun newEmbeddingRun(String name, List<String> inputs, String requestedModel,
			String provider) {
		// The unseen chain of the tree: it delivers no event of its own.
		ChainRun tree = new ChainRun(this.dispatcher, this.accounting, this.globalHandlers, null,
				EmbeddingRunRecord.NO_CLIENT, List.of(), Map.of(), trackers(null), false, EmbeddingRun.class, null,
				List.of());
		if (!EmbeddingRun.wanted(tree)) {
			return null;
		}
		return new EmbeddingRun(tree, null, name, inputs, requestedModel, provider);
	}

	/**
	 * Whether an embedding call made outside any run is to be a run: a global handler
	 * listens to embedding events, a tracker is current on this thread, or an observer is
	 * there.
	 */
	public boolean wantsEmbeddingRuns() {
		return this.globalHandlers.listensAny(EventKind.Category.EMBEDDING.mask()) || this.accounting.hasObservers()
				|| UsageTracker.current().isPresent();
	}

	// The innermost tracker wins (its runs count in its ancestors anyway); two unrelated
	// ones both count.
	private static UsageTracker @Nullable [] trackers(@Nullable ContextView reactorContext) {
		UsageTracker onThread = UsageTracker.current().orElse(null);
		UsageTracker inContext = (reactorContext != null) ? reactorContext.getOrDefault(UsageTracker.CONTEXT_KEY, null)
				: null;
		if (inContext == null || inContext == onThread) {
			return (onThread != null) ? new UsageTracker[] { onThread } : null;
		}
		if (onThread == null || onThread.isAncestorOf(inContext)) {
			return new UsageTracker[] { inContext };
		}
		if (inContext.isAncestorOf(onThread)) {
			return new UsageTracker[] { onThread };
		}
		return new UsageTracker[] { onThread, inContext };
	}

}
