package dev.callbacks.demo.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.callbacks.demo.catalog.Flower;
import dev.callbacks.demo.catalog.Occasion;

import static dev.callbacks.demo.model.Grammar.capitalize;
import static dev.callbacks.demo.model.Grammar.colourFor;
import static dev.callbacks.demo.model.Grammar.join;
import static dev.callbacks.demo.model.Grammar.named;

/**
 * Answers from what the customer said before, and from nothing else: the memory question
 * ("do you remember why I came?") and the summaries that summary memory asks for.
 */
final class MemoryReplies {

	private static final Pattern WHEN = Pattern.compile("\\b(today|tonight|tomorrow|this weekend|next week)\\b");

	/** The memory question: answered only from what the customer said earlier. */
	String remember(Conversation conversation) {
		Optional<Occasion> occasion = conversation.earlierOccasion();
		Optional<String> relation = conversation.earlierRelation();
		List<Flower> flowers = conversation.earlierFlowers();
		List<String> colours = conversation.earlierColours();
		if (conversation.earlier().isEmpty()
				|| (occasion.isEmpty() && relation.isEmpty() && flowers.isEmpty() && colours.isEmpty())) {
			return "I'm sorry, I don't have anything you told me earlier in our conversation, so I can't remember "
					+ "that. How can I help you today?";
		}
		String reason;
		if (occasion.isPresent()) {
			reason = "You came in for " + occasion.get().bouquet() + relation.map((r) -> " for your " + r).orElse("");
		}
		else if (relation.isPresent()) {
			reason = "You were looking for flowers for your " + relation.get();
		}
		else {
			reason = "You were asking about flowers";
		}
		String liked = liked(flowers, colours);
		if (liked.isEmpty()) {
			return "Of course! " + reason + ". Shall we choose the flowers now?";
		}
		String pronoun = relation.isPresent() ? conversation.pronoun() : "you";
		String preference;
		if (conversation.earlierStatesPreference()) {
			preference = "you told me " + pronoun + " "
					+ (pronoun.equals("she") || pronoun.equals("he") ? "likes" : "like") + " " + liked;
		}
		else {
			preference = "you mentioned " + liked;
		}
		String forWhom = switch (pronoun) {
			case "she" -> "her";
			case "he" -> "him";
			case "they" -> "them";
			default -> "you";
		};
		String offer = flowers.isEmpty() ? "Shall I put together something in " + colours.get(0) + " for " + forWhom
				: "Shall I put together a bouquet of " + liked + " for " + forWhom;
		return "Of course! " + reason + ", and " + preference + ". " + offer + "?";
	}

	/**
	 * Summary memory: what the customer wants, in a sentence or two about "the customer",
	 * so that it stays short however long the conversation gets.
	 * @param conversation what is to be summarised ({@link Conversation#toSummarise})
	 * @param request the request to summarise, lower case
	 */
	String summarise(Conversation conversation, String request) {
		Optional<Occasion> occasion = conversation.earlierOccasion();
		Optional<String> relation = conversation.earlierRelation();
		Matcher when = WHEN.matcher(request);
		String time = when.find() ? ", for " + when.group(1) : "";
		List<String> sentences = new ArrayList<>();
		if (occasion.isPresent()) {
			sentences.add("The customer needs " + occasion.get().bouquet()
					+ relation.map((r) -> " for their " + r).orElse("") + time + ".");
		}
		else if (relation.isPresent()) {
			sentences.add("The customer is looking for flowers for their " + relation.get() + time + ".");
		}
		String liked = liked(conversation.earlierFlowers(), conversation.earlierColours());
		if (!liked.isEmpty() && conversation.earlierStatesPreference()) {
			String pronoun = relation.isPresent() ? conversation.pronoun() : "they";
			String subject = relation.isPresent() ? capitalize(pronoun) : "The customer";
			String verb = (pronoun.equals("they") && relation.isPresent()) ? " like " : " likes ";
			sentences.add(subject + verb + liked + ".");
		}
		else if (!liked.isEmpty()) {
			sentences.add("The customer asked about " + liked + ".");
		}
		if (sentences.isEmpty()) {
			return "The customer has not said yet what they are looking for.";
		}
		return String.join(" ", sentences);
	}

	private static String liked(List<Flower> flowers, List<String> colours) {
		if (flowers.isEmpty()) {
			return join(colours, "and");
		}
		return join(flowers.stream().map((flower) -> named(flower, colourFor(flower, colours))).toList(), "and");
	}

}
