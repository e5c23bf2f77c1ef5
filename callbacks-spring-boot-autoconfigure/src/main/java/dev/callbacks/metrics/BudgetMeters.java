package dev.callbacks.metrics;

/**
 * Names, tag keys and tag values of the budget meters, defined once.
 */
public final class BudgetMeters {

	/**
	 * Counter of rejected rounds and stopped streams; tags {@code budget}, {@code phase}.
	 */
	public static final String REJECTIONS = "llm.budget.rejections";

	/**
	 * Counter of tokens counted in a budget, base unit {@code tokens}; tag
	 * {@code budget}.
	 */
	public static final String SPEND_TOKENS = "llm.budget.spend.tokens";

	/** Counter of cost counted in a budget, base unit {@code USD}; tag {@code budget}. */
	public static final String SPEND_COST = "llm.budget.spend.cost";

	/**
	 * Gauge of the tokens left in a global or client budget, as this instance last saw
	 * it; tags {@code budget}, {@code key}.
	 */
	public static final String REMAINING_TOKENS = "llm.budget.remaining.tokens";

	/**
	 * Gauge of the USD left in a global or client budget, as this instance last saw it;
	 * tags {@code budget}, {@code key}.
	 */
	public static final String REMAINING_COST = "llm.budget.remaining.cost";

	/** Counter of budget store failures; tags {@code operation}, {@code outcome}. */
	public static final String STORE_FAILURES = "llm.budget.store.failures";

	public static final String TAG_BUDGET = "budget";

	public static final String TAG_PHASE = "phase";

	public static final String TAG_KEY = "key";

	public static final String TAG_OPERATION = "operation";

	public static final String TAG_OUTCOME = "outcome";

	/** The budget tag of budgets given in code without a name. */
	public static final String UNNAMED = "unnamed";

	/** A round rejected before it started. */
	public static final String PHASE_ADMISSION = "admission";

	/** A stream stopped while running. */
	public static final String PHASE_STREAM = "stream";

	/** The key tag of a global budget. */
	public static final String KEY_GLOBAL = "global";

	/** A store failure that let the round run uncounted (fail-open). */
	public static final String OUTCOME_ADMITTED = "admitted";

	/** A store failure that rejected the round (fail-closed). */
	public static final String OUTCOME_REJECTED = "rejected";

	/** A settlement that could not be recorded. */
	public static final String OUTCOME_UNRECORDED = "unrecorded";

	private BudgetMeters() {
	}

}
