package dev.callbacks.demo.model;

import java.util.regex.Pattern;

/**
 * Recognises what a customer's message asks for: stock, a price, a meaning, a suggestion,
 * a memory, a summary, a short answer. Each test reads the lower-case text of one message
 * and nothing else.
 */
final class Intents {

	private static final Pattern MEMORY = Pattern
		.compile("\\b(remember|recall|remind me)\\b" + "|\\bwhy (did )?i (came|come|was here|visited|stopped by)\\b"
				+ "|\\bwhat did i (say|tell|ask|want|order|need)\\b|\\blast time\\b");

	private static final Pattern STOCK = Pattern
		.compile("\\b(in stock|stock|available|availability|how many|sold out|out of stock)\\b");

	private static final Pattern PRICE = Pattern
		.compile("\\b(price|prices|priced|cost|costs|how much|quote|charge|expensive|cheap)\\b");

	private static final Pattern MEANING = Pattern.compile(
			"\\b(mean|means|meaning|symboli[sz]es?|symbol" + "|stand for|stands for|represents?|signify|signifies)\\b");

	private static final Pattern RECOMMEND = Pattern.compile("\\b(suggest|recommend|recommendations?|ideas?"
			+ "|which flowers?|what flowers?|what kind|suit|suits|best|good for|need|want|looking for|gift|present"
			+ "|(get|buy|send) (for|her|him|them)|should i (get|buy|send))\\b");

	private static final Pattern QUESTION_START = Pattern.compile(
			"^(what|which|how|why|when|where|who|can|could" + "|would|do|does|did|is|are|tell me|show me|list)\\b");

	// A request to summarise a conversation (summary memory), e.g. "Summarise the
	// conversation ...".
	private static final Pattern SUMMARISE = Pattern.compile("^(please )?summari[sz]e\\b");

	private static final Pattern THANKS = Pattern.compile("^(thanks|thank you|cheers|many thanks)\\b[^?]*$");

	private static final Pattern BRIEF = Pattern.compile("\\b(briefly|in short|short answer|just name|only name)\\b");

	private Intents() {
	}

	/**
	 * Whether the message asks to summarise a conversation (summary memory's request).
	 */
	static boolean summarise(String text) {
		return SUMMARISE.matcher(text).find();
	}

	/** Whether the message asks what the customer said before. */
	static boolean memory(String text) {
		return MEMORY.matcher(text).find();
	}

	/** Whether the message asks about stock. */
	static boolean stock(String text) {
		return STOCK.matcher(text).find();
	}

	/** Whether the message asks about a price. */
	static boolean price(String text) {
		return PRICE.matcher(text).find();
	}

	/** Whether the message asks what something means. */
	static boolean meaning(String text) {
		return MEANING.matcher(text).find();
	}

	/** Whether the message asks for suggestions. */
	static boolean recommend(String text) {
		return RECOMMEND.matcher(text).find();
	}

	/** Whether the message is a question: a question mark, or a question word first. */
	static boolean question(String text) {
		return text.contains("?") || QUESTION_START.matcher(text).find();
	}

	/** Whether the message only says thank you. */
	static boolean thanks(String text) {
		return THANKS.matcher(text).find();
	}

	/** Whether the message asks for a short answer. */
	static boolean brief(String text) {
		return BRIEF.matcher(text).find();
	}

}
