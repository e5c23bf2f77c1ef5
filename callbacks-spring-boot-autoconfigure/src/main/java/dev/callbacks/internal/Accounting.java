package dev.callbacks.internal;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.callbacks.CallbackObserver;
import dev.callbacks.EmbeddingRunRecord;
import dev.callbacks.LlmRunRecord;
import dev.callbacks.ToolRunRecord;
import dev.callbacks.UsageTracker;
import dev.callbacks.event.RunIdentity;
import dev.callbacks.usage.ModelPrices;
import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an ended LLM run is worth and who hears of it: its cost from the
 * {@link ModelPrices}, the open trackers and the {@link CallbackObserver}s. Also
 * remembers, per requested model, how it answered, so that a failed round lines up with
 * its successes in meters and trackers.
 */
public final class Accounting {

	private static final Logger logger = LoggerFactory.getLogger(Accounting.class);

	// Bounds on the per-model memories below: model names may come from user input.
	private static final int MAX_MODELS = 256;

	private final ModelPrices prices;

	private final List<CallbackObserver> observers;

	// Requested model → the model that answered it last.
	private final Map<String, String> answeredAs = new ConcurrentHashMap<>();

	// Requested models whose streams reported usage last time.
	private final Set<String> streamsReportingUsage = ConcurrentHashMap.newKeySet();

	Accounting(ModelPrices prices, List<CallbackObserver> observers) {
		this.prices = prices;
		this.observers = observers;
	}

	/** The prices used for cost. */
	public ModelPrices prices() {
		return this.prices;
	}

	boolean hasObservers() {
		return !this.observers.isEmpty();
	}

	/**
	 * Records one ended round in {@code trackers} and the observers; {@code record}
	 * builds the observers' record from the cost, only when someone observes.
	 */
	void account(UsageTracker @Nullable [] trackers, String model, RunIdentity identity, TokenUsage usage,
			boolean success, RecordFactory record) {
		boolean observed = hasObservers();
		if (trackers == null && !observed) {
			return;
		}
		BigDecimal cost = this.prices.cost(model, usage);
		if (trackers != null) {
			for (UsageTracker tracker : trackers) {
				tracker.record(model, identity, usage, success, cost);
			}
		}
		if (observed) {
			LlmRunRecord built = record.create(cost);
			Observers.tell(this.observers, logger, (observer) -> observer.onLlmRun(built));
		}
	}

	/**
	 * Records one ended embedding call in {@code trackers} (apart from chat usage) and
	 * the observers; {@code record} builds the observers' record from the cost.
	 */
	void accountEmbedding(UsageTracker @Nullable [] trackers, String model, TokenUsage usage, boolean success,
			java.util.function.Function<@Nullable BigDecimal, EmbeddingRunRecord> record) {
		boolean observed = hasObservers();
		if (trackers == null && !observed) {
			return;
		}
		BigDecimal cost = this.prices.cost(model, usage);
		if (trackers != null) {
			for (UsageTracker tracker : trackers) {
				tracker.recordEmbedding(model, usage, success, cost);
			}
		}
		if (observed) {
			EmbeddingRunRecord built = record.apply(cost);
			Observers.tell(this.observers, logger, (observer) -> observer.onEmbeddingRun(built));
		}
	}

	/** Tells the observers of an ended tool run. */
	void toolEnded(ToolRunRecord record) {
		Observers.tell(this.observers, logger, (observer) -> observer.onToolRun(record));
	}

	/**
	 * The model to account a round under: what answered, else what answered last time.
	 */
	String answeringModel(String requested, @Nullable String answered) {
		if (answered != null && !answered.isEmpty()) {
			if (!requested.isEmpty() && !requested.equals(answered) && this.answeredAs.size() < MAX_MODELS) {
				this.answeredAs.putIfAbsent(requested, answered);
			}
			return answered;
		}
		// A round that failed before answering: name it as this model answered last time
		// (gpt-4o-mini → gpt-4o-mini-2024-07-18).
		return this.answeredAs.getOrDefault(requested, requested);
	}

	boolean streamsReportUsage(String requestedModel) {
		return this.streamsReportingUsage.contains(requestedModel);
	}

	void streamsReportUsage(String requestedModel, boolean reported) {
		if (!reported) {
			this.streamsReportingUsage.remove(requestedModel);
		}
		else if (this.streamsReportingUsage.size() < MAX_MODELS
				&& !this.streamsReportingUsage.contains(requestedModel)) {
			this.streamsReportingUsage.add(requestedModel);
		}
	}

	/** Builds the observers' record once the cost is known. */
	@FunctionalInterface
	interface RecordFactory {

		LlmRunRecord create(@Nullable BigDecimal cost);

	}

}
