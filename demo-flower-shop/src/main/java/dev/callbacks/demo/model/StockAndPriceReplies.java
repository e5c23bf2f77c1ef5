package dev.callbacks.demo.model;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.callbacks.demo.catalog.Flower;
import dev.callbacks.demo.catalog.FlowerCatalog;
import dev.callbacks.demo.catalog.FlowerTools;

import org.springframework.ai.chat.messages.AssistantMessage.ToolCall;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage.ToolResponse;
import org.springframework.ai.tool.definition.ToolDefinition;

import static dev.callbacks.demo.model.Grammar.colourFor;

/**
 * Answers stock and price questions as a model with tools does: calls the tools the
 * caller offers, answers from their results, and answers from the catalogue what no tool
 * covers.
 */
final class StockAndPriceReplies {

	// A flower the catalogue does not know still deserves a tool call: "any poppies?"
	private static final Pattern UNKNOWN_FLOWER = Pattern.compile("\\b(?:any|many|much (?:are|is|do|does|for)"
			+ "(?: the| your)?|price of(?: the)?|cost of(?: the)?)\\s+([a-z]+(?:-[a-z]+)?)");

	private static final Set<String> NOT_FLOWERS = Set.of("flower", "flowers", "stem", "stems", "of", "you", "the",
			"your", "them", "those", "these", "it", "they", "bouquet", "bouquets", "a", "an", "in", "stock", "left",
			"do", "does", "more", "is", "are", "would", "will", "cost", "costs", "for", "one", "ones", "time");

	private static final int MAX_TOOL_FLOWERS = 3;

	private final FlowerCatalog catalog;

	private final Supplier<String> toolCallIds;

	private final StockAndPriceWording wording;

	StockAndPriceReplies(FlowerCatalog catalog, Supplier<String> toolCallIds) {
		this.catalog = catalog;
		this.toolCallIds = toolCallIds;
		this.wording = new StockAndPriceWording(catalog);
	}

	/**
	 * The reply to a stock or price question: tool calls when the caller offers the
	 * tools, else the answer from the catalogue.
	 */
	Reply reply(Conversation conversation, boolean stock, boolean price, Map<String, ToolDefinition> tools) {
		List<String> names = flowerNames(conversation);
		if (names.isEmpty()) {
			return Reply.text("Which flower would you like me to " + (stock ? "check" : "price") + " for you?");
		}
		int stems = Quantities.stems(conversation.current());
		List<ToolCall> calls = new ArrayList<>();
		for (String name : names) {
			if (stock && tools.containsKey(FlowerTools.CHECK_STOCK)) {
				calls
					.add(ToolCallJson.toolCall(this.toolCallIds.get(), tools.get(FlowerTools.CHECK_STOCK), name, null));
			}
			if (price && tools.containsKey(FlowerTools.QUOTE_PRICE)) {
				calls.add(
						ToolCallJson.toolCall(this.toolCallIds.get(), tools.get(FlowerTools.QUOTE_PRICE), name, stems));
			}
		}
		if (!calls.isEmpty()) {
			return Reply.toolCalls(calls);
		}
		return Reply.text(String.join(" ", directAnswers(conversation, stock, price)));
	}

	/** The answer from the tools' results, completed from the catalogue. */
	String fromTools(Conversation conversation, ToolResponseMessage message) {
		Set<String> sentences = new LinkedHashSet<>();
		boolean answeredStock = false;
		boolean answeredPrice = false;
		for (ToolResponse response : message.getResponses()) {
			ToolResult result = ToolResult.read(response);
			String text = result.message();
			if (result.isPriceQuote()) {
				answeredPrice = true;
				sentences.add(priceAnswer(result, conversation.preferredColours()));
			}
			else if (result.isStockLevel()) {
				answeredStock = true;
				sentences.add(stockAnswer(result));
			}
			else if (text != null) {
				sentences.add(text);
			}
			else {
				sentences.add("The " + result.toolName() + " tool returned: " + result.raw());
			}
		}
		// A question the tools did not cover (say, only a stock tool was offered for "how
		// many, and how much?") is still answered, from the catalogue.
		String question = conversation.current();
		boolean stock = Intents.stock(question) && !answeredStock;
		boolean price = Intents.price(question) && !answeredPrice;
		if (stock || price) {
			sentences.addAll(directAnswers(conversation, stock, price));
		}
		return String.join(" ", sentences);
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
		int stems = Quantities.stems(conversation.current());
		List<String> colours = conversation.preferredColours();
		Set<String> sentences = new LinkedHashSet<>();
		for (String name : flowerNames(conversation)) {
			Optional<Flower> flower = this.catalog.findByName(name);
			if (flower.isEmpty()) {
				sentences.add(StockAndPriceWording.notSold(name));
				continue;
			}
			if (stock) {
				sentences.add(this.wording.stock(flower.get(), flower.get().stock()));
			}
			if (price) {
				Flower found = flower.get();
				sentences.add(StockAndPriceWording.price(found, colourFor(found, colours), stems, found.pricePerStem(),
						found.pricePerStem().multiply(BigDecimal.valueOf(stems)), this.catalog.currency(),
						found.stock()));
			}
		}
		return new ArrayList<>(sentences);
	}

	private String stockAnswer(ToolResult result) {
		String name = result.flower();
		Optional<Flower> flower = result.known() ? this.catalog.findByName(name) : Optional.empty();
		return flower.map((found) -> this.wording.stock(found, result.stemsInStock(0)))
			.orElseGet(() -> StockAndPriceWording.notSold(name));
	}

	private String priceAnswer(ToolResult result, List<String> colours) {
		String name = result.flower();
		Optional<Flower> flower = result.known() ? this.catalog.findByName(name) : Optional.empty();
		return flower.map((found) -> StockAndPriceWording.price(found, colourFor(found, colours), result.stems(),
				result.pricePerStem(found.pricePerStem()), result.total(), result.currency(this.catalog.currency()),
				result.stemsInStock(Integer.MAX_VALUE)))
			.orElseGet(() -> StockAndPriceWording.notSold(name));
	}

}
