package dev.callbacks.demo.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.callbacks.demo.catalog.Flower;
import dev.callbacks.demo.catalog.FlowerCatalog;
import dev.callbacks.demo.catalog.Occasion;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;

/**
 * What the model reads from a prompt: the customer's current message, what they said
 * before (the memory), and the tool results it is asked to answer from.
 */
final class Conversation {

	// Memory that arrives as text rather than messages, e.g. a LangChain-style buffer in
	// the system prompt ("Human: ...") or Spring AI's prompt memory ("USER: ...").
	private static final Pattern MEMORY_LINE = Pattern.compile("(?im)^\\s*(?:user|human|customer)\\s*:\\s*(.+)$");

	// A running summary in the system prompt (summary memory): prose about "the
	// customer", up to a blank line.
	private static final Pattern SUMMARY = Pattern
		.compile("(?is)summary of the conversation so far:[ \\t]*\\R?(.+?)(?:\\R[ \\t]*\\R|$)");

	// What a request to summarise holds: the summary so far and the lines to add to it.
	private static final Pattern CURRENT_SUMMARY = Pattern
		.compile("(?is)current summary:\\s*(.*?)\\s*new lines of conversation:");

	private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?;])\\s+");

	private static final Pattern RELATION = Pattern
		.compile("\\bmy (best friend|sister|brother|mother|mom|mum|father|dad"
				+ "|wife|husband|girlfriend|boyfriend|partner|fiancee|fiance|friend|daughter|son|grandmother|grandma"
				+ "|grandfather|grandpa|aunt|uncle|niece|nephew|cousin|colleague|coworker|boss|teacher|neighbour|neighbor)\\b");

	private static final Pattern PREFERENCE = Pattern.compile("\\b(likes?|loves?|adores?|prefers?|favou?rite)\\b");

	private static final Map<String, String> PRONOUNS = Map.ofEntries(Map.entry("sister", "she"),
			Map.entry("mother", "she"), Map.entry("mom", "she"), Map.entry("mum", "she"), Map.entry("wife", "she"),
			Map.entry("girlfriend", "she"), Map.entry("fiancee", "she"), Map.entry("daughter", "she"),
			Map.entry("grandmother", "she"), Map.entry("grandma", "she"), Map.entry("aunt", "she"),
			Map.entry("niece", "she"), Map.entry("brother", "he"), Map.entry("father", "he"), Map.entry("dad", "he"),
			Map.entry("husband", "he"), Map.entry("boyfriend", "he"), Map.entry("fiance", "he"), Map.entry("son", "he"),
			Map.entry("grandfather", "he"), Map.entry("grandpa", "he"), Map.entry("uncle", "he"),
			Map.entry("nephew", "he"));

	private final FlowerCatalog catalog;

	private final String current;

	private final List<String> earlier;

	private final @Nullable ToolResponseMessage toolResponse;

	private Conversation(FlowerCatalog catalog, String current, List<String> earlier,
			@Nullable ToolResponseMessage toolResponse) {
		this.catalog = catalog;
		this.current = current;
		this.earlier = earlier;
		this.toolResponse = toolResponse;
	}

	static Conversation of(List<Message> messages, FlowerCatalog catalog) {
		int lastUser = -1;
		for (int i = messages.size() - 1; i >= 0 && lastUser < 0; i--) {
			if (messages.get(i) instanceof UserMessage) {
				lastUser = i;
			}
		}
		List<String> earlier = new ArrayList<>();
		// Memory rendered into a system prompt is older than any message in the prompt.
		for (Message message : messages) {
			if (message instanceof SystemMessage && message.getText() != null) {
				Matcher matcher = MEMORY_LINE.matcher(message.getText());
				while (matcher.find()) {
					earlier.add(normalize(matcher.group(1)));
				}
				Matcher summary = SUMMARY.matcher(message.getText());
				if (summary.find()) {
					earlier.addAll(readBack(summary.group(1)));
				}
			}
		}
		for (int i = 0; i < lastUser; i++) {
			if (messages.get(i) instanceof UserMessage user && user.getText() != null) {
				earlier.add(normalize(user.getText()));
			}
		}
		String current = (lastUser >= 0 && messages.get(lastUser).getText() != null)
				? normalize(messages.get(lastUser).getText()).trim() : "";
		ToolResponseMessage toolResponse = (!messages.isEmpty()
				&& messages.get(messages.size() - 1) instanceof ToolResponseMessage tool) ? tool : null;
		return new Conversation(catalog, current, List.copyOf(earlier), toolResponse);
	}

	/**
	 * What a request to summarise a conversation is about: the summary so far and the
	 * customer's new lines, as earlier messages; the current message is empty.
	 * @param request the text of the request, lower case
	 */
	static Conversation toSummarise(String request, FlowerCatalog catalog) {
		List<String> earlier = new ArrayList<>();
		Matcher summary = CURRENT_SUMMARY.matcher(request);
		if (summary.find()) {
			earlier.addAll(readBack(summary.group(1)));
		}
		Matcher lines = MEMORY_LINE.matcher(request);
		while (lines.find()) {
			earlier.add(normalize(lines.group(1)));
		}
		return new Conversation(catalog, "", List.copyOf(earlier), null);
	}

	// A summary speaks of "the customer"; the rules read what the customer said, so turn
	// it back into the customer's own words: "the customer needs ... for their sister"
	// becomes "i need ... for my sister".
	private static List<String> readBack(String summary) {
		List<String> sentences = new ArrayList<>();
		for (String sentence : SENTENCE_END.split(normalize(summary).trim())) {
			String text = sentence.replaceAll("\\bthe customer's\\b", "my")
				.replaceAll("\\bthe customer needs\\b", "i need")
				.replaceAll("\\bthe customer is\\b", "i am")
				.replaceAll("\\bthe customer\\b", "i")
				.replaceAll("\\btheir\\b", "my")
				.trim();
			if (!text.isEmpty() && !text.equals("(none)")) {
				sentences.add(text);
			}
		}
		return sentences;
	}

	/** The customer's latest message, lower case. */
	String current() {
		return this.current;
	}

	/** What the customer said before the latest message, oldest first, lower case. */
	List<String> earlier() {
		return this.earlier;
	}

	/** The tool results, when the prompt ends with them. */
	@Nullable ToolResponseMessage toolResponse() {
		return this.toolResponse;
	}

	List<Flower> currentFlowers() {
		return this.catalog.mentionedFlowers(this.current);
	}

	List<String> currentColours() {
		return this.catalog.mentionedColours(this.current);
	}

	/** The occasion of the latest message, else the most recent one mentioned before. */
	Optional<Occasion> occasion() {
		return latest(this.catalog::mentionedOccasions).stream().findFirst();
	}

	/** The flowers of the latest message, else those of the most recent earlier one. */
	List<Flower> flowersInFocus() {
		return latest(this.catalog::mentionedFlowers);
	}

	/** The colours the customer prefers: from the latest message, else from before. */
	List<String> preferredColours() {
		return latest(this.catalog::mentionedColours);
	}

	/** The person the flowers are for ("sister"), from any message. */
	Optional<String> relation() {
		List<String> texts = new ArrayList<>(this.earlier);
		texts.add(this.current);
		for (int i = texts.size() - 1; i >= 0; i--) {
			Matcher matcher = RELATION.matcher(texts.get(i));
			if (matcher.find()) {
				return Optional.of(matcher.group(1));
			}
		}
		return Optional.empty();
	}

	/** "she", "he" or "they" for the person the flowers are for. */
	String pronoun() {
		return relation().map((relation) -> PRONOUNS.getOrDefault(relation, "they")).orElse("they");
	}

	/** The first occasion the customer mentioned before the latest message. */
	Optional<Occasion> earlierOccasion() {
		return this.earlier.stream().flatMap((text) -> this.catalog.mentionedOccasions(text).stream()).findFirst();
	}

	/** The person mentioned before the latest message. */
	Optional<String> earlierRelation() {
		return this.earlier.stream().map(RELATION::matcher).filter(Matcher::find).map((m) -> m.group(1)).findFirst();
	}

	List<Flower> earlierFlowers() {
		return this.earlier.stream()
			.flatMap((text) -> this.catalog.mentionedFlowers(text).stream())
			.distinct()
			.toList();
	}

	List<String> earlierColours() {
		return this.earlier.stream()
			.flatMap((text) -> this.catalog.mentionedColours(text).stream())
			.distinct()
			.toList();
	}

	/** Whether an earlier message says what someone likes, loves or prefers. */
	boolean earlierStatesPreference() {
		return this.earlier.stream().anyMatch((text) -> PREFERENCE.matcher(text).find());
	}

	// What the latest message mentions, else what the most recent earlier message did.
	private <T> List<T> latest(Function<String, List<T>> finder) {
		List<T> inCurrent = finder.apply(this.current);
		if (!inCurrent.isEmpty()) {
			return inCurrent;
		}
		for (int i = this.earlier.size() - 1; i >= 0; i--) {
			List<T> found = finder.apply(this.earlier.get(i));
			if (!found.isEmpty()) {
				return found;
			}
		}
		return List.of();
	}

	// Lower case with straight apostrophes, as the catalogue matches text.
	private static String normalize(String text) {
		return text.toLowerCase(Locale.ROOT).replace('\u2019', '\'').replace('\u2018', '\'');
	}

	@Override
	public String toString() {
		return "Conversation[current=" + this.current + ", earlier=" + this.earlier.size() + " message(s)"
				+ ((this.toolResponse != null) ? ", tool response" : "") + "]";
	}

}
