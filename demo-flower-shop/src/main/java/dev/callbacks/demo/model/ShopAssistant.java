package dev.callbacks.demo.model;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.callbacks.demo.catalog.Flower;
import dev.callbacks.demo.catalog.FlowerCatalog;
import dev.callbacks.demo.catalog.FlowerTools;
import dev.callbacks.demo.catalog.Occasion;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.chat.messages.AssistantMessage.ToolCall;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage.ToolResponse;
import org.springframework.ai.tool.definition.ToolDefinition;

/**
 * The rules behind the offline model: reads a {@link Conversation} and decides what a
 * helpful shop assistant would say, or which tools it would call, using only the
 * {@link FlowerCatalog}. Deterministic: the same conversation gets the same reply.
 */
final class ShopAssistant {

	private static final JsonMapper JSON = JsonMapper.builder().build();

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

	private static final Pattern WHEN = Pattern.compile("\\b(today|tonight|tomorrow|this weekend|next week)\\b");

	private static final Pattern THANKS = Pattern.compile("^(thanks|thank you|cheers|many thanks)\\b[^?]*$");

	private static final Pattern BRIEF = Pattern.compile("\\b(briefly|in short|short answer|just name|only name)\\b");

	private static final String NUMBER = "\\d{1,4}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
			+ "|fifteen|twenty|thirty|forty|fifty|hundred";

	private static final Pattern NUMBER_WORD = Pattern.compile("(?<![\\w$.])(" + NUMBER + ")(?![\\w.])");

	private static final Pattern WORD_LIMIT = Pattern.compile("\\b(under|less than|fewer than|no more than"
			+ "|not more than|at most|max(?:imum)?|within|in)\\s+(" + NUMBER + ")\\s+words?\\b");

	private static final Pattern DOZENS = Pattern.compile("\\b(half (?:a )?dozen|(?:(" + NUMBER + ") )?dozen)\\b");

	private static final Pattern MONEY = Pattern.compile("\\$\\s*\\d+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?\\s*(?:dollars|usd)");

	// A flower the catalogue does not know still deserves a tool call: "any poppies?"
	private static final Pattern UNKNOWN_FLOWER = Pattern.compile("\\b(?:any|many|much (?:are|is|do|does|for)"
			+ "(?: the| your)?|price of(?: the)?|cost of(?: the)?)\\s+([a-z]+(?:-[a-z]+)?)");

	private static final Set<String> NOT_FLOWERS = Set.of("flower", "flowers", "stem", "stems", "of", "you", "the",
			"your", "them", "those", "these", "it", "they", "bouquet", "bouquets", "a", "an", "in", "stock", "left",
			"do", "does", "more", "is", "are", "would", "will", "cost", "costs", "for", "one", "ones", "time");

	private static final Map<String, Integer> NUMBERS = Map.ofEntries(Map.entry("one", 1), Map.entry("two", 2),
			Map.entry("three", 3), Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6),
			Map.entry("seven", 7), Map.entry("eight", 8), Map.entry("nine", 9), Map.entry("ten", 10),
			Map.entry("eleven", 11), Map.entry("twelve", 12), Map.entry("fifteen", 15), Map.entry("twenty", 20),
			Map.entry("thirty", 30), Map.entry("forty", 40), Map.entry("fifty", 50), Map.entry("hundred", 100));

	private static final int DEFAULT_SUGGESTIONS = 3;

	private static final int MAX_TOOL_FLOWERS = 3;

	private final FlowerCatalog catalog;

	private final Supplier<String> toolCallIds;

	ShopAssistant(FlowerCatalog catalog, Supplier<String> toolCallIds) {
		this.catalog = catalog;
		this.toolCallIds = toolCallIds;
	}

	FlowerCatalog catalog() {
		return this.catalog;
	}

	/**
	 * Decide the reply to a conversation.
	 * @param conversation what the customer said, and any tool results
	 * @param tools the tools the caller offers, by name
	 * @return text, or tool calls when a question needs a tool the caller offers
	 */
	Reply reply(Conversation conversation, Map<String, ToolDefinition> tools) {
		ToolResponseMessage toolResponse = conversation.toolResponse();
		if (toolResponse != null) {
			return Reply.text(answerFromTools(conversation, toolResponse));
		}
		String text = conversation.current();
		if (text.isEmpty()) {
			return Reply.text(welcome());
		}
		if (SUMMARISE.matcher(text).find()) {
			return Reply.text(summarise(Conversation.toSummarise(text, this.catalog), text));
		}
		if (MEMORY.matcher(text).find()) {
			return Reply.text(remember(conversation));
		}
		boolean stock = STOCK.matcher(text).find();
		boolean price = PRICE.matcher(text).find();
		if (stock || price) {
			return stockOrPrice(conversation, stock, price, tools);
		}
		List<Flower> flowers = conversation.currentFlowers();
		if (MEANING.matcher(text).find() && !flowers.isEmpty()) {
			return Reply.text(describe(flowers.get(0), conversation.currentColours()));
		}
		List<Occasion> occasions = this.catalog.mentionedOccasions(text);
		if (!occasions.isEmpty()) {
			return Reply.text(recommend(conversation, occasions.get(0)));
		}
		boolean question = isQuestion(text);
		List<String> colours = conversation.currentColours();
		if (flowers.isEmpty() && !colours.isEmpty() && (question || RECOMMEND.matcher(text).find())) {
			return Reply.text(inColour(colours.get(0), text));
		}
		if (!flowers.isEmpty()) {
			return Reply.text(question ? describe(flowers.get(0), colours) : acknowledge(conversation, flowers));
		}
		Optional<Occasion> earlierOccasion = conversation.occasion();
		if (RECOMMEND.matcher(text).find() && earlierOccasion.isPresent()) {
			return Reply.text(recommend(conversation, earlierOccasion.get()));
		}
		if (RECOMMEND.matcher(text).find() || (question && conversation.relation().isPresent())) {
			return Reply.text(askOccasion(conversation));
		}
		if (THANKS.matcher(text).find()) {
			return Reply.text("You're very welcome! Let me know if there is anything else I can do for you.");
		}
		return Reply.text(welcome());
	}

	// ---------------------------------------------------------------------------------
	// Answers from the catalogue
	// ---------------------------------------------------------------------------------

	private String welcome() {
		List<String> occasions = this.catalog.occasions().stream().map(ShopAssistant::withArticle).toList();
		return "Welcome to the flower shop! I can suggest flowers for " + join(occasions, "or")
				+ ", tell you what a flower means, check our stock and quote prices. How can I help?";
	}

	private String askOccasion(Conversation conversation) {
		List<String> occasions = this.catalog.occasions().stream().map(ShopAssistant::withArticle).toList();
		String question = "I'd be glad to help! What's the occasion: " + join(occasions, "or") + "?";
		if (conversation.relation().isEmpty() || !conversation.preferredColours().isEmpty()) {
			return question;
		}
		String pronoun = conversation.pronoun();
		return question + " And " + (pronoun.equals("they") ? "do they" : "does " + pronoun)
				+ " have a favourite colour?";
	}

	private String recommend(Conversation conversation, Occasion occasion) {
		String text = conversation.current();
		int wordLimit = wordLimit(text);
		boolean concise = wordLimit > 0 || BRIEF.matcher(text).find();
		List<String> colours = conversation.preferredColours();
		List<String> picks = this.catalog.findByOccasion(occasion.id())
			.stream()
			.sorted(Comparator.comparing((Flower flower) -> !flower.inStock())
				.thenComparing((flower) -> colourFor(flower, colours) == null))
			.limit(suggestions(text))
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
		return join(occasion.opener(), body, followUp);
	}

	private String inColour(String colour, String text) {
		List<String> names = this.catalog.findByColour(colour)
			.stream()
			.sorted(Comparator.comparing((Flower flower) -> !flower.inStock()))
			.limit(hasCount(text) ? suggestions(text) : Long.MAX_VALUE)
			.map(Flower::plural)
			.toList();
		if (names.isEmpty()) {
			return "I'm afraid we have nothing in " + colour + " at the moment.";
		}
		return limitWords("In " + colour + ", we have " + join(names, "and") + ".", wordLimit(text));
	}

	private String describe(Flower flower, List<String> colours) {
		List<String> sentences = new ArrayList<>();
		String missing = colours.stream().filter((colour) -> !flower.hasColour(colour)).findFirst().orElse(null);
		if (missing != null) {
			sentences.add("We don't have " + flower.plural() + " in " + missing + ", I'm afraid.");
		}
		sentences.add(
				capitalize(flower.plural()) + " " + verb(flower, "stand", "stands") + " for " + flower.meaning() + ".");
		List<String> occasions = flower.occasions()
			.stream()
			.map((id) -> this.catalog.findOccasion(id).map(ShopAssistant::withArticle).orElse(id))
			.toList();
		sentences.add(capitalize(pronoun(flower)) + " " + verb(flower, "come", "comes") + " in "
				+ join(flower.colours(), "and") + (occasions.isEmpty() ? "."
						: ", and " + verb(flower, "suit", "suits") + " " + join(occasions, "or") + "."));
		return String.join(" ", sentences);
	}

	// "She likes pink roses": agree, tie it to the occasion and suggest what goes with
	// it.
	private String acknowledge(Conversation conversation, List<Flower> flowers) {
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

	// The memory question: answered only from what the customer said earlier.
	private String remember(Conversation conversation) {
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

	// Summary memory: what the customer wants, in a sentence or two about "the customer",
	// so that it stays short however long the conversation gets.
	private String summarise(Conversation conversation, String request) {
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

	private String liked(List<Flower> flowers, List<String> colours) {
		if (flowers.isEmpty()) {
			return join(colours, "and");
		}
		return join(flowers.stream().map((flower) -> named(flower, colourFor(flower, colours))).toList(), "and");
	}

	// ---------------------------------------------------------------------------------
	// Stock and prices: tool calls when offered, else straight from the catalogue
	// ---------------------------------------------------------------------------------

	private Reply stockOrPrice(Conversation conversation, boolean stock, boolean price,
			Map<String, ToolDefinition> tools) {
		List<String> names = flowerNames(conversation);
		if (names.isEmpty()) {
			return Reply.text("Which flower would you like me to " + (stock ? "check" : "price") + " for you?");
		}
		int stems = stems(conversation.current());
		List<ToolCall> calls = new ArrayList<>();
		for (String name : names) {
			if (stock && tools.containsKey(FlowerTools.CHECK_STOCK)) {
				calls.add(toolCall(tools.get(FlowerTools.CHECK_STOCK), name, null));
			}
			if (price && tools.containsKey(FlowerTools.QUOTE_PRICE)) {
				calls.add(toolCall(tools.get(FlowerTools.QUOTE_PRICE), name, stems));
			}
		}
		if (!calls.isEmpty()) {
			return Reply.toolCalls(calls);
		}
		return Reply.text(String.join(" ", directAnswers(conversation, stock, price)));
	}

	// The flowers a stock or price question is about: named now, else named just before.
	private List<String> flowerNames(Conversation conversation) {
		Set<String> names = new LinkedHashSet<>();
		conversation.currentFlowers().forEach((flower) -> names.add(flower.singular()));
		Matcher unknown = UNKNOWN_FLOWER.matcher(conversation.current());
		while (unknown.find()) {
			String word = unknown.group(1);
			if (!NOT_FLOWERS.contains(word) && !this.catalog.colours().contains(word)
					&& this.catalog.findByName(word).isEmpty()) {
				names.add(word);
			}
		}
		if (names.isEmpty()) {
			conversation.flowersInFocus().forEach((flower) -> names.add(flower.singular()));
		}
		return names.stream().limit(MAX_TOOL_FLOWERS).toList();
	}

	private List<String> directAnswers(Conversation conversation, boolean stock, boolean price) {
		int stems = stems(conversation.current());
		List<String> colours = conversation.preferredColours();
		Set<String> sentences = new LinkedHashSet<>();
		for (String name : flowerNames(conversation)) {
			Optional<Flower> flower = this.catalog.findByName(name);
			if (flower.isEmpty()) {
				sentences.add(notSold(name));
				continue;
			}
			if (stock) {
				sentences.add(stockSentence(flower.get(), flower.get().stock()));
			}
			if (price) {
				Flower found = flower.get();
				sentences.add(priceSentence(found, colourFor(found, colours), stems, found.pricePerStem(),
						found.pricePerStem().multiply(BigDecimal.valueOf(stems)), this.catalog.currency(),
						found.stock()));
			}
		}
		return new ArrayList<>(sentences);
	}

	private ToolCall toolCall(ToolDefinition tool, String flower, @Nullable Integer stems) {
		Parameters parameters = Parameters.of(tool);
		Map<String, Object> arguments = new LinkedHashMap<>();
		arguments.put(parameters.flower(), flower);
		if (stems != null && parameters.stems() != null) {
			arguments.put(parameters.stems(), stems);
		}
		return new ToolCall(this.toolCallIds.get(), "function", tool.name(), JSON.writeValueAsString(arguments));
	}

	private String answerFromTools(Conversation conversation, ToolResponseMessage message) {
		Set<String> sentences = new LinkedHashSet<>();
		boolean answeredStock = false;
		boolean answeredPrice = false;
		for (ToolResponse response : message.getResponses()) {
			JsonNode result = parse(response.responseData());
			if (result != null && result.isObject() && result.has("total")) {
				answeredPrice = true;
				sentences.add(priceAnswer(result, conversation.preferredColours()));
			}
			else if (result != null && result.isObject() && result.has("stemsInStock")) {
				answeredStock = true;
				sentences.add(stockAnswer(result));
			}
			else if (result != null && result.isString()) {
				sentences.add(result.asString());
			}
			else {
				sentences.add("The " + response.name() + " tool returned: " + response.responseData());
			}
		}
		// A question the tools did not cover (say, only a stock tool was offered for "how
		// many, and how much?") is still answered, from the catalogue.
		String question = conversation.current();
		boolean stock = STOCK.matcher(question).find() && !answeredStock;
		boolean price = PRICE.matcher(question).find() && !answeredPrice;
		if (stock || price) {
			sentences.addAll(directAnswers(conversation, stock, price));
		}
		return String.join(" ", sentences);
	}

	private String stockAnswer(JsonNode result) {
		String name = result.path("flower").asString("");
		Optional<Flower> flower = result.path("known").asBoolean(true) ? this.catalog.findByName(name)
				: Optional.empty();
		return flower.map((found) -> stockSentence(found, result.path("stemsInStock").asInt(0)))
			.orElseGet(() -> notSold(name));
	}

	private String priceAnswer(JsonNode result, List<String> colours) {
		String name = result.path("flower").asString("");
		Optional<Flower> flower = result.path("known").asBoolean(true) ? this.catalog.findByName(name)
				: Optional.empty();
		return flower
			.map((found) -> priceSentence(found, colourFor(found, colours), result.path("stems").asInt(1),
					result.path("pricePerStem").asDecimal(found.pricePerStem()), result.path("total").asDecimal(),
					result.path("currency").asString(this.catalog.currency()),
					result.path("stemsInStock").asInt(Integer.MAX_VALUE)))
			.orElseGet(() -> notSold(name));
	}

	private String stockSentence(Flower flower, int stemsInStock) {
		if (stemsInStock > 0) {
			return "Good news: we have " + stems(flower, stemsInStock) + " in stock.";
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

	// The colour is only wording: a stem costs the same in every colour.
	private String priceSentence(Flower flower, @Nullable String colour, int stems, BigDecimal pricePerStem,
			BigDecimal total, String currency, int stemsInStock) {
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

	private static String notSold(String name) {
		return "I'm afraid we don't sell " + name + ".";
	}

	private static @Nullable JsonNode parse(String json) {
		try {
			return JSON.readTree(json);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	// ---------------------------------------------------------------------------------
	// Reading numbers and limits
	// ---------------------------------------------------------------------------------

	// "Under 50 words", "no more than 30 words": 0 when there is no limit.
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

	// How many stems: "a dozen", "two dozen", "15 roses"; a bouquet is a dozen, else one.
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

	// How many suggestions: "name three", "top 5", "a couple"; three by default.
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

	private static boolean hasCount(String text) {
		return NUMBER_WORD.matcher(withoutLimitsAndMoney(text)).find() || text.contains("a couple");
	}

	private static String withoutLimitsAndMoney(String text) {
		return MONEY.matcher(WORD_LIMIT.matcher(text).replaceAll(" ")).replaceAll(" ");
	}

	private static int number(String word) {
		Integer value = NUMBERS.get(word);
		return (value != null) ? value : Integer.parseInt(word);
	}

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

	private static boolean isQuestion(String text) {
		return text.contains("?") || QUESTION_START.matcher(text).find();
	}

	// ---------------------------------------------------------------------------------
	// Wording
	// ---------------------------------------------------------------------------------

	// "your sister's birthday" when the occasion is someone's, else "a sympathy
	// arrangement".
	private static String target(Occasion occasion, Optional<String> relation) {
		if (occasion.personal() && relation.isPresent()) {
			return "your " + relation.get() + "'s " + occasion.noun();
		}
		return withArticle(occasion);
	}

	private static String withArticle(Occasion occasion) {
		return ("aeiou".indexOf(occasion.noun().charAt(0)) >= 0 ? "an " : "a ") + occasion.noun();
	}

	private static @Nullable String colourFor(Flower flower, List<String> colours) {
		return colours.stream().filter(flower::hasColour).findFirst().orElse(null);
	}

	private static String named(Flower flower, @Nullable String colour) {
		return (colour != null) ? colour + " " + flower.plural() : flower.plural();
	}

	// "120 roses", "1 rose", "80 stems of lavender".
	private static String stems(Flower flower, int count) {
		if (isMassNoun(flower)) {
			return count + ((count == 1) ? " stem of " : " stems of ") + flower.plural();
		}
		return count + " " + ((count == 1) ? flower.singular() : flower.plural());
	}

	private static String pronoun(Flower flower) {
		return isMassNoun(flower) ? "it" : "they";
	}

	private static String verb(Flower flower, String plural, String singular) {
		return isMassNoun(flower) ? singular : plural;
	}

	// "Lavender" has no plural: it takes "is" and "it".
	private static boolean isMassNoun(Flower flower) {
		return flower.plural().equalsIgnoreCase(flower.singular());
	}

	private static String money(BigDecimal amount, String currency) {
		String value = amount.setScale(2, RoundingMode.HALF_UP).toPlainString();
		return currency.equals("USD") ? "$" + value : value + " " + currency;
	}

	private static String join(List<String> items, String conjunction) {
		if (items.size() <= 1) {
			return items.isEmpty() ? "" : items.get(0);
		}
		return String.join(", ", items.subList(0, items.size() - 1)) + " " + conjunction + " "
				+ items.get(items.size() - 1);
	}

	private static String join(String... sentences) {
		return String.join(" ", Arrays.stream(sentences).filter((s) -> !s.isEmpty()).toList());
	}

	private static String capitalize(String text) {
		return text.isEmpty() ? text : text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
	}

	/**
	 * Where a tool wants its arguments. Like a real model, read the tool's JSON schema:
	 * the first string property takes the flower, the first numeric one the stems.
	 */
	private record Parameters(String flower, @Nullable String stems) {

		static Parameters of(ToolDefinition tool) {
			String flower = null;
			String stems = null;
			try {
				JsonNode properties = JSON.readTree(tool.inputSchema()).path("properties");
				for (Map.Entry<String, JsonNode> property : properties.properties()) {
					String type = property.getValue().path("type").asString("");
					if (flower == null && type.equals("string")) {
						flower = property.getKey();
					}
					else if (stems == null && (type.equals("integer") || type.equals("number"))) {
						stems = property.getKey();
					}
				}
			}
			catch (JacksonException ex) {
				// An unreadable schema: assume the parameter names of FlowerTools.
				return new Parameters("flower", "stems");
			}
			return new Parameters((flower != null) ? flower : "flower", stems);
		}

	}

}
