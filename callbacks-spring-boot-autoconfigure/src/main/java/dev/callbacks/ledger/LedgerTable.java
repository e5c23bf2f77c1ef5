package dev.callbacks.ledger;

import java.util.regex.Pattern;

import org.springframework.util.Assert;

/**
 * The ledger table's name: the default, and what a configured one may be. The name is
 * written into SQL, so only plain identifiers are accepted.
 */
public final class LedgerTable {

	/** The table's default name. */
	public static final String DEFAULT_NAME = "callbacks_llm_usage";

	/**
	 * The longest name accepted: index names append up to 16 characters, and PostgreSQL
	 * cuts identifiers at 63.
	 */
	public static final int MAX_LENGTH = 47;

	// A letter or underscore, then letters, digits or underscores; optionally
	// schema-qualified. Nothing that needs quoting, so no SQL can be smuggled in.
	private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

	private LedgerTable() {
	}

	/**
	 * Whether {@code name} is a valid table name: an unquoted SQL identifier (letters,
	 * digits, underscores, not starting with a digit), optionally qualified with a
	 * schema, of at most {@link #MAX_LENGTH} characters.
	 */
	public static boolean isValidName(String name) {
		return name.length() <= MAX_LENGTH && NAME.matcher(name).matches();
	}

	static String requireValidName(String name) {
		Assert.isTrue(isValidName(name),
				() -> "Invalid ledger table name '" + name
						+ "': use letters, digits and underscores (optionally schema.table), at most " + MAX_LENGTH
						+ " characters");
		return name;
	}

	/** The table's name without its schema, as index names use it. */
	public static String unqualified(String name) {
		int dot = name.lastIndexOf('.');
		return (dot >= 0) ? name.substring(dot + 1) : name;
	}

}
