package dev.callbacks.usage;

import org.jspecify.annotations.Nullable;

/**
 * A price that cannot be used, naming the offending field in the form of the price
 * properties ({@code prompt}, {@code cache-write-1h}, {@code tier.above-prompt-tokens},
 * ...), so that whoever read the price can point at its source: a property, a line of a
 * table, a field of a price map.
 */
public class InvalidPriceException extends IllegalArgumentException {

	private final String field;

	private final @Nullable Object value;

	private final String reason;

	public InvalidPriceException(String field, @Nullable Object value, String reason) {
		super(field + "=" + value + ": " + reason);
		this.field = field;
		this.value = value;
		this.reason = reason;
	}

	/** The field, as a price property suffix such as {@code tier.cache-write}. */
	public String field() {
		return this.field;
	}

	/** The rejected value, {@code null} when it is missing. */
	public @Nullable Object value() {
		return this.value;
	}

	/** Why the value was rejected. */
	public String reason() {
		return this.reason;
	}

}
