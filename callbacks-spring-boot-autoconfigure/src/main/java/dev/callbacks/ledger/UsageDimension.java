package dev.callbacks.ledger;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What usage totals can be grouped (and, except {@link #DAY}, filtered) by.
 */
public enum UsageDimension {

	/** The user the run was made for. */
	USER("user", "user_id"),

	/** The tenant. */
	TENANT("tenant", "tenant_id"),

	/** The conversation. */
	CONVERSATION("conversation", "conversation_id"),

	/** The model that answered. */
	MODEL("model", "model"),

	/** The provider that served the run. */
	PROVIDER("provider", "provider"),

	/** The client (the chain run's name). */
	CLIENT("client", "client_name"),

	/** The day (UTC) the run started. */
	DAY("day", "usage_day");

	private final String key;

	private final String column;

	UsageDimension(String key, String column) {
		this.key = key;
		this.column = column;
	}

	/** The lower-case name used in queries and results, such as {@code tenant}. */
	public String key() {
		return this.key;
	}

	String column() {
		return this.column;
	}

	/**
	 * The dimension named {@code key} (case-insensitive).
	 * @throws IllegalArgumentException naming the valid keys when there is none
	 */
	public static UsageDimension of(String key) {
		String wanted = key.trim().toLowerCase(Locale.ROOT);
		for (UsageDimension dimension : values()) {
			if (dimension.key.equals(wanted)) {
				return dimension;
			}
		}
		throw new IllegalArgumentException("'" + key + "' is not one of " + keys());
	}

	/** The valid keys, comma-separated. */
	public static String keys() {
		return Arrays.stream(values()).map(UsageDimension::key).collect(Collectors.joining(", "));
	}

}
