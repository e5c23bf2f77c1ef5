package dev.callbacks.demo.model;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.callbacks.demo.catalog.Flower;
import dev.callbacks.demo.catalog.Occasion;
import org.jspecify.annotations.Nullable;

/**
 * The English of the replies: lists with "and" or "or", articles, capitals, counted and
 * coloured flower names, the verb and pronoun a flower takes, money, and cutting an
 * answer to a word limit.
 */
final class Grammar {

	private Grammar() {
	}

	/** "a, b and c": the items as a list, the last one joined by the conjunction. */
	static String join(List<String> items, String conjunction) {
		if (items.size() <= 1) {
			return items.isEmpty() ? "" : items.get(0);
		}
		return String.join(", ", items.subList(0, items.size() - 1)) + " " + conjunction + " "
				+ items.get(items.size() - 1);
	}

	/** The sentences that are not empty, separated by a space. */
	static String sentences(String... sentences) {
		return String.join(" ", Arrays.stream(sentences).filter((s) -> !s.isEmpty()).toList());
	}

	static String capitalize(String text) {
		return text.isEmpty() ? text : text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
	}

	/** "a birthday", "an anniversary". */
	static String withArticle(Occasion occasion) {
		return ("aeiou".indexOf(occasion.noun().charAt(0)) >= 0 ? "an " : "a ") + occasion.noun();
	}

	/**
	 * The colour to call a flower by: the first of the customer's colours that it comes
	 * in, if any.
	 */
	static @Nullable String colourFor(Flower flower, List<String> colours) {
		return colours.stream().filter(flower::hasColour).findFirst().orElse(null);
	}

	/** "pink roses", or "roses" without a colour. */
	static String named(Flower flower, @Nullable String colour) {
		return (colour != null) ? colour + " " + flower.plural() : flower.plural();
	}

	/** "120 roses", "1 rose", "80 stems of lavender". */
	static String counted(Flower flower, int count) {
		if (isMassNoun(flower)) {
			return count + ((count == 1) ? " stem of " : " stems of ") + flower.plural();
		}
		return count + " " + ((count == 1) ? flower.singular() : flower.plural());
	}

	/** "they" for roses, "it" for lavender. */
	static String pronoun(Flower flower) {
		return isMassNoun(flower) ? "it" : "they";
	}

	/** The verb that agrees with the flower's plural: "roses are", "lavender is". */
	static String verb(Flower flower, String plural, String singular) {
		return isMassNoun(flower) ? singular : plural;
	}

	// "Lavender" has no plural: it takes "is" and "it".
	static boolean isMassNoun(Flower flower) {
		return flower.plural().equalsIgnoreCase(flower.singular());
	}

	/** "$42.00" for US dollars, else "1.75 EUR"; rounded half up to cents. */
	static String money(BigDecimal amount, String currency) {
		String value = amount.setScale(2, RoundingMode.HALF_UP).toPlainString();
		return currency.equals("USD") ? "$" + value : value + " " + currency;
	}

	/**
	 * The text cut to its first {@code limit} words, ending in a full stop instead of a
	 * dangling comma or bracket.
	 * @param text the answer
	 * @param limit the most words, 0 or less for no limit
	 */
	static String limitWords(String text, int limit) {
		if (limit <= 0) {
			return text;
		}
		String[] words = text.split(" ");
		if (words.length <= limit) {
			return text;
		}
		String cut = String.join(" ", Arrays.copyOf(words, limit));
		return cut.replaceAll("[,;:(]+$", "") + ".";
	}

}
