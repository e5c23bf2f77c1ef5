package dev.callbacks.demo.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.callbacks.demo.catalog.Flower;
import dev.callbacks.demo.catalog.FlowerCatalog;
import dev.callbacks.demo.catalog.Occasion;

import static dev.callbacks.demo.model.Grammar.capitalize;
import static dev.callbacks.demo.model.Grammar.colourFor;
import static dev.callbacks.demo.model.Grammar.join;
import static dev.callbacks.demo.model.Grammar.limitWords;
import static dev.callbacks.demo.model.Grammar.named;
import static dev.callbacks.demo.model.Grammar.pronoun;
import static dev.callbacks.demo.model.Grammar.verb;
import static dev.callbacks.demo.model.Grammar.withArticle;

/**
 * Words the shop's advice from the catalogue: which flowers suit an occasion or a colour,
 * what a flower means, what goes with the customer's choice, and the greetings around
 * them.
 */
final class AdviceReplies {

	private final FlowerCatalog catalog;

	AdviceReplies(FlowerCatalog catalog) {
		this.catalog = catalog;
	}

	String welcome() {
		List<String> occasions = this.catalog.occasions().stream().map(Grammar::withArticle).toList();
		return "Welcome to the flower shop! I can suggest flowers for " + join(occasions, "or")
				+ ", tell you what a flower means, check our stock and quote prices. How can I help?";
	}

	String thanks() {
		return "You're very welcome! Let me know if there is anything else I can do for you.";
	}

	String askOccasion(Conversation conversation) {
		List<String> occasions = this.catalog.occasions().stream().map(Grammar::withArticle).toList();
		String question = "I'd be glad to help! What's the occasion: " + join(occasions, "or") + "?";
		if (conversation.relation().isEmpty() || !conversation.preferredColours().isEmpty()) {
			return question;
		}
		String pronoun = conversation.pronoun();
		return question + " And " + (pronoun.equals("they") ? "do they" : "does " + pronoun)
				+ " have a favourite colour?";
	}

	/** Flowers for an occasion, in stock and in the customer's colours first. */
	String recommend(Conversation conversation, Occasion occasion) {
		String text = conversation.current();
		int wordLimit = Quantities.wordLimit(text);
		boolean concise = wordLimit > 0 || Intents.brief(text);
		List<String> colours = conversation.preferredColours();
		List<String> picks = this.catalog.findByOccasion(occasion.id())
			.stream()
			.sorted(Comparator.comparing((Flower flower) -> !flower.inStock())
				.thenComparing((flower) -> colourFor(flower, colours) == null))
			.limit(Quantities.suggestions(text))
			.map((flower) -> named(flower, colourFor(flower, colours)) + " (" + flower.meaning() + ")")
			.toList();
		String body = "For " + target(occasion, conversation.relation()) + ", I'd suggest " + join(picks, "and") + ".";
		if (concise) {
			return limitWords(body, wordLimit);
		}
		String followUp;
		if (!colours.isEmpty() || !occasion.personal()) {
			followUp = "Would you like me to check stock or quote a price?";
		}
		else if (conversation.relation().isPresent()) {
			String pronoun = conversation.pronoun();
			followUp = (pronoun.equals("they") ? "Do they" : "Does " + pronoun) + " have a favourite colour or flower?";
		}
		else {
			followUp = "Do you have a colour in mind?";
		}
		return Grammar.sentences(occasion.opener(), body, followUp);
	}

	/** The flowers that come in a colour, in stock first. */
	String inColour(String colour, String text) {
		List<String> names = this.catalog.findByColour(colour)
			.stream()
			.sorted(Comparator.comparing((Flower flower) -> !flower.inStock()))
			.limit(Quantities.hasCount(text) ? Quantities.suggestions(text) : Long.MAX_VALUE)
			.map(Flower::plural)
			.toList();
		if (names.isEmpty()) {
			return "I'm afraid we have nothing in " + colour + " at the moment.";
		}
		return limitWords("In " + colour + ", we have " + join(names, "and") + ".", Quantities.wordLimit(text));
	}

	/** What a flower means, its colours and occasions. */
	String describe(Flower flower, List<String> colours) {
		List<String> sentences = new ArrayList<>();
		String missing = colours.stream().filter((colour) -> !flower.hasColour(colour)).findFirst().orElse(null);
		if (missing != null) {
			sentences.add("We don't have " + flower.plural() + " in " + missing + ", I'm afraid.");
		}
		sentences.add(
				capitalize(flower.plural()) + " " + verb(flower, "stand", "stands") + " for " + flower.meaning() + ".");
		List<String> occasions = flower.occasions()
			.stream()
			.map((id) -> this.catalog.findOccasion(id).map(Grammar::withArticle).orElse(id))
			.toList();
		sentences.add(capitalize(pronoun(flower)) + " " + verb(flower, "come", "comes") + " in "
				+ join(flower.colours(), "and") + (occasions.isEmpty() ? "."
						: ", and " + verb(flower, "suit", "suits") + " " + join(occasions, "or") + "."));
		return String.join(" ", sentences);
	}

	// "She likes pink roses": agree, tie it to the occasion and suggest what goes with
	// it.
	String acknowledge(Conversation conversation, List<Flower> flowers) {
		Flower flower = flowers.get(0);
		List<String> colours = conversation.currentColours();
		String colour = colourFor(flower, colours);
		List<String> sentences = new ArrayList<>();
		if (colour == null && !colours.isEmpty()) {
			sentences.add("We don't have " + flower.plural() + " in " + colours.get(0) + ", I'm afraid; they come in "
					+ join(flower.colours(), "and") + ".");
		}
		Optional<Occasion> occasion = conversation.occasion();
		boolean suits = occasion.map((o) -> flower.suits(o.id())).orElse(false);
		sentences.add(capitalize(named(flower, colour)) + " " + verb(flower, "are", "is") + " a lovely choice"
				+ (suits ? " for " + target(occasion.get(), conversation.relation()) : "") + ": " + pronoun(flower)
				+ " " + verb(flower, "stand", "stands") + " for " + flower.meaning() + ".");
		List<String> partners = this.catalog.flowers()
			.stream()
			.filter((other) -> !flowers.contains(other) && other.inStock())
			.filter((other) -> occasion.map((o) -> other.suits(o.id())).orElse(true))
			.filter((other) -> colour == null || other.hasColour(colour))
			.limit(2)
			.map((other) -> named(other, colour))
			.toList();
		if (!partners.isEmpty()) {
			sentences.add(capitalize(join(partners, "or")) + " would pair beautifully with "
					+ ((flower.plural().equals(flower.singular())) ? "it." : "them."));
		}
		else if (occasion.isPresent() && !suits) {
			List<Flower> usual = this.catalog.findByOccasion(occasion.get().id());
			if (!usual.isEmpty()) {
				sentences.add("For " + withArticle(occasion.get()) + ", " + usual.get(0).plural()
						+ " are the more traditional choice.");
			}
		}
		sentences.add("Would you like me to check stock or quote a price?");
		return String.join(" ", sentences);
	}

	// "your sister's birthday" when the occasion is someone's, else "a sympathy
	// arrangement".
	private static String target(Occasion occasion, Optional<String> relation) {
		if (occasion.personal() && relation.isPresent()) {
			return "your " + relation.get() + "'s " + occasion.noun();
		}
		return withArticle(occasion);
	}

}
