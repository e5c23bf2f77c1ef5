package dev.callbacks.demo.catalog;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

import org.springframework.util.Assert;

/**
 * A flower the shop sells.
 *
 * @param name the display name, e.g. {@code Gerbera Daisy}
 * @param plural the plural used in sentences, e.g. {@code gerbera daisies}
 * @param aliases other names customers use for it (lower case), e.g. {@code gerbera}
 * @param colours the colours it comes in (lower case)
 * @param occasions the ids of the {@link Occasion occasions} it suits
 * @param meaning what it traditionally stands for, e.g. {@code love and admiration}
 * @param pricePerStem the price of one stem in the catalogue's currency
 * @param stock the number of stems in stock
 */
public record Flower(String name, String plural, List<String> aliases, List<String> colours, List<String> occasions,
		String meaning, BigDecimal pricePerStem, int stock) {

	public Flower {
		Assert.hasText(name, "name must not be empty");
		Assert.hasText(plural, "plural must not be empty");
		Assert.notNull(pricePerStem, "pricePerStem must not be null");
		Assert.isTrue(pricePerStem.signum() >= 0, "pricePerStem must not be negative");
		Assert.isTrue(stock >= 0, "stock must not be negative");
		aliases = lowerCase(aliases);
		colours = lowerCase(colours);
		occasions = lowerCase(occasions);
		meaning = (meaning != null) ? meaning : "";
	}

	/** The singular used in sentences, e.g. {@code gerbera daisy}. */
	public String singular() {
		return this.name.toLowerCase(Locale.ROOT);
	}

	/** Whether the flower comes in {@code colour} (case-insensitive). */
	public boolean hasColour(String colour) {
		return this.colours.contains(colour.toLowerCase(Locale.ROOT));
	}

	/** Whether the flower suits the occasion with the given id (case-insensitive). */
	public boolean suits(String occasionId) {
		return this.occasions.contains(occasionId.toLowerCase(Locale.ROOT));
	}

	/** Whether any stems are in stock. */
	public boolean inStock() {
		return this.stock > 0;
	}

	// The catalogue is hand-written JSON: tolerate a missing list, normalise case once
	// here.
	private static List<String> lowerCase(List<String> values) {
		return (values != null) ? values.stream().map((value) -> value.trim().toLowerCase(Locale.ROOT)).toList()
				: List.of();
	}

}
