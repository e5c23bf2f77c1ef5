package dev.callbacks.demo.model;

import java.math.BigDecimal;
import java.util.Optional;

import dev.callbacks.demo.catalog.Flower;
import dev.callbacks.demo.catalog.FlowerCatalog;
import org.jspecify.annotations.Nullable;

import static dev.callbacks.demo.model.Grammar.capitalize;
import static dev.callbacks.demo.model.Grammar.counted;
import static dev.callbacks.demo.model.Grammar.isMassNoun;
import static dev.callbacks.demo.model.Grammar.money;
import static dev.callbacks.demo.model.Grammar.verb;

/**
 * Puts a stock level or a price quote into words, whether the numbers came from a tool or
 * from the catalogue; a sold-out flower comes with an alternative from the catalogue.
 */
final class StockAndPriceWording {

	private final FlowerCatalog catalog;

	StockAndPriceWording(FlowerCatalog catalog) {
		this.catalog = catalog;
	}

	/** "Good news: we have 120 roses in stock.", or sold out and what to have instead. */
	String stock(Flower flower, int stemsInStock) {
		if (stemsInStock > 0) {
			return "Good news: we have " + counted(flower, stemsInStock) + " in stock.";
		}
		String sentence = "I'm sorry, " + flower.plural() + " " + verb(flower, "are", "is")
				+ " sold out at the moment.";
		Optional<Flower> alternative = this.catalog.flowers()
			.stream()
			.filter((other) -> other != flower && other.inStock())
			.filter((other) -> other.occasions().stream().anyMatch(flower::suits))
			.filter((other) -> other.colours().stream().anyMatch(flower::hasColour))
			.findFirst();
		return alternative
			.map((other) -> sentence + " " + capitalize(other.plural()) + " would make a lovely alternative.")
			.orElse(sentence);
	}

	/**
	 * "12 pink roses come to $42.00 ($3.50 a stem).", and a word when the stock falls
	 * short. The colour is only wording: a stem costs the same in every colour.
	 */
	static String price(Flower flower, @Nullable String colour, int stems, BigDecimal pricePerStem, BigDecimal total,
			String currency, int stemsInStock) {
		String named = (colour != null) ? colour + " " + flower.singular() : flower.singular();
		String sentence;
		if (stems == 1) {
			sentence = (isMassNoun(flower) ? "A single stem of " : "A single ") + named + " costs "
					+ money(total, currency) + ".";
		}
		else {
			String counted = isMassNoun(flower) ? stems + " stems of " + named
					: stems + " " + ((colour != null) ? colour + " " : "") + flower.plural();
			sentence = counted + " come to " + money(total, currency) + " (" + money(pricePerStem, currency)
					+ " a stem).";
		}
		if (stemsInStock < stems) {
			sentence += (stemsInStock > 0) ? " We only have " + stemsInStock + " in stock right now, though."
					: " They are sold out right now, though.";
		}
		return sentence;
	}

	static String notSold(String name) {
		return "I'm afraid we don't sell " + name + ".";
	}

}
