package dev.callbacks.ledger;

import java.util.List;

import dev.callbacks.LlmRunRecord;

/**
 * Where {@link UsageLedgerRecorder} writes batches of ended LLM runs, on its own thread.
 */
@FunctionalInterface
public interface LedgerStore {

	/**
	 * Write every run of {@code runs}, all or none. Runs already written by an earlier
	 * attempt whose outcome was not known must not be written twice.
	 * @throws RuntimeException when the runs could not be written (they will be retried)
	 */
	void write(List<LlmRunRecord> runs);

}
