package dev.callbacks.ledger;

import java.util.Locale;

/**
 * Why an LLM run did not make it into the ledger.
 */
public enum DropReason {

	/** The buffer was full (the database too slow, or down, for too long). */
	BUFFER_FULL,

	/** Its batch failed to be written on every attempt. */
	RETRIES_EXHAUSTED,

	/** It was still buffered, or arrived, when the application shut down. */
	SHUTDOWN;

	/** The lower-case, dashed name used in meter tags and logs. */
	public String tagValue() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
