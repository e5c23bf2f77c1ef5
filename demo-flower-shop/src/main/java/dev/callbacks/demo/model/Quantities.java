package dev.callbacks.demo.model;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the numbers in a customer's message: how many stems, how many suggestions, and
 * the word limit of the answer. Numbers may be digits or words ("two dozen", "under fifty
 * words"); a word limit and an amount of money are never read as a count.
 */
final class Quantities {

	/** How many suggestions a message that names no number gets. */
	static final int DEFAULT_SUGGESTIONS = 3;

	private static final String NUMBER = "\\d{1,4}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
			+ "|fifteen|twenty|thirty|forty|fifty|hundred";

	private static final Pattern NUMBER_WORD = Pattern.compile("(?<![\\w$.])(" + NUMBER + ")(?![\\w.])");

	private static final Pattern WORD_LIMIT = Pattern.compile("\\b(under|less than|fewer than|no more than"
			+ "|not more than|at most|max(?:imum)?|within|in)\\s+(" + NUMBER + ")\\s+words?\\b");

	private static final Pattern DOZENS = Pattern.compile("\\b(half (?:a )?dozen|(?:(" + NUMBER + ") )?dozen)\\b");

	private static final Pattern MONEY = Pattern.compile("\\$\\s*\\d+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?\\s*(?:dollars|usd)");

	private static final Map<String, Integer> NUMBERS = Map.ofEntries(Map.entry("one", 1), Map.entry("two", 2),
			Map.entry("three", 3), Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6),
			Map.entry("seven", 7), Map.entry("eight", 8), Map.entry("nine", 9), Map.entry("ten", 10),
			Map.entry("eleven", 11), Map.entry("twelve", 12), Map.entry("fifteen", 15), Map.entry("twenty", 20),
			Map.entry("thirty", 30), Map.entry("forty", 40), Map.entry("fifty", 50), Map.entry("hundred", 100));

	private Quantities() {
	}

	/**
	 * The most words the answer may have: "under 50 words" is 49, "no more than 30 words"
	 * is 30, never less than 1.
	 * @param text the message, lower case
	 * @return the limit, or 0 when the message sets none
	 */
	static int wordLimit(String text) {
		Matcher matcher = WORD_LIMIT.matcher(text);
		if (!matcher.find()) {
			return 0;
		}
		int limit = number(matcher.group(2));
		boolean strict = matcher.group(1).equals("under") || matcher.group(1).startsWith("less")
				|| matcher.group(1).startsWith("fewer");
		return Math.max(1, strict ? limit - 1 : limit);
	}

	/**
	 * How many stems a message asks about: "a dozen", "two dozen", "half a dozen", "15
	 * roses"; a bouquet is a dozen, anything else one.
	 * @param text the message, lower case
	 * @return the number of stems, at least 1
	 */
	static int stems(String text) {
		String cleaned = withoutLimitsAndMoney(text);
		Matcher dozens = DOZENS.matcher(cleaned);
		if (dozens.find()) {
			if (dozens.group(1).startsWith("half")) {
				return 6;
			}
			return 12 * ((dozens.group(2) != null) ? number(dozens.group(2)) : 1);
		}
		Matcher number = NUMBER_WORD.matcher(cleaned);
		if (number.find() && number(number.group(1)) > 0) {
			return number(number.group(1));
		}
		return cleaned.contains("bouquet") ? 12 : 1;
	}

	/**
	 * How many suggestions a message asks for: "name three", "top 5", "a couple"; a
	 * number outside 1 to 6 is not a count of suggestions.
	 * @param text the message, lower case
	 * @return the number of suggestions, {@link #DEFAULT_SUGGESTIONS} when none is asked
	 * for
	 */
	static int suggestions(String text) {
		String cleaned = withoutLimitsAndMoney(text);
		if (cleaned.contains("a couple")) {
			return 2;
		}
		Matcher number = NUMBER_WORD.matcher(cleaned);
		if (number.find()) {
			int count = number(number.group(1));
			if (count >= 1 && count <= 6) {
				return count;
			}
		}
		return DEFAULT_SUGGESTIONS;
	}

	/**
	 * Whether the message names a number (other than a word limit or money), or "a
	 * couple".
	 * @param text the message, lower case
	 */
	static boolean hasCount(String text) {
		return NUMBER_WORD.matcher(withoutLimitsAndMoney(text)).find() || text.contains("a couple");
	}

	private static String withoutLimitsAndMoney(String text) {
		return MONEY.matcher(WORD_LIMIT.matcher(text).replaceAll(" ")).replaceAll(" ");
	}

	private static int number(String word) {
		Integer value = NUMBERS.get(word);
		return (value != null) ? value : Integer.parseInt(word);
	}

}
