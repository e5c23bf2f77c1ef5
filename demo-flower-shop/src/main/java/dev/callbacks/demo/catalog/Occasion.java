package dev.callbacks.demo.catalog;

import java.util.List;
import java.util.Locale;

import org.springframework.util.Assert;

/**
 * An occasion customers buy flowers for.
 *
 * @param id the id flowers refer to, e.g. {@code get-well}
 * @param noun how a sentence names it, e.g. {@code get-well bouquet}
 * @param bouquet what the customer comes in for, e.g. {@code a get-well bouquet}
 * @param personal whether the occasion belongs to someone ("your sister's birthday")
 * rather than being a kind of gift ("a sympathy arrangement")
 * @param opener a friendly first sentence when a customer mentions it
 * @param keywords words and phrases (lower case) that mean a customer is talking about it
 */
public record Occasion(String id, String noun, String bouquet, boolean personal, String opener, List<String> keywords) {

	public Occasion {
		Assert.hasText(id, "id must not be empty");
		Assert.hasText(noun, "noun must not be empty");
		Assert.hasText(bouquet, "bouquet must not be empty");
		id = id.toLowerCase(Locale.ROOT);
		opener = (opener != null) ? opener : "";
		keywords = (keywords != null) ? keywords.stream().map((k) -> k.trim().toLowerCase(Locale.ROOT)).toList()
				: List.of();
	}

}
