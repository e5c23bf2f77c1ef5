package dev.callbacks.demo.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import dev.callbacks.demo.catalog.Flower;
import dev.callbacks.demo.catalog.FlowerCatalog;
import dev.callbacks.demo.catalog.Occasion;

import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.tool.definition.ToolDefinition;

/**
 * The offline model's router: reads a {@link Conversation}, recognises what the customer
 * asks for ({@link Intents}) and hands it to the replies that answer it. Deterministic:
 * the same conversation gets the same reply.
 */
final class ShopAssistant {

	private final FlowerCatalog catalog;

	private final AdviceReplies advice;

	private final MemoryReplies memory;

	private final StockAndPriceReplies stockAndPrice;

	ShopAssistant(FlowerCatalog catalog, Supplier<String> toolCallIds) {
		this.catalog = catalog;
		this.advice = new AdviceReplies(catalog);
		this.memory = new MemoryReplies();
		this.stockAndPrice = new StockAndPriceReplies(catalog, toolCallIds);
	}

	FlowerCatalog catalog() {
		return this.catalog;
	}

	/**
	 * Decide the reply to a conversation. The order of the rules matters: a stock or
	 * price question about a flower is not a question about the flower's meaning, and an
	 * occasion named now wins over one named before.
	 * @param conversation what the customer said, and any tool results
	 * @param tools the tools the caller offers, by name
	 * @return text, or tool calls when a question needs a tool the caller offers
	 */
	Reply reply(Conversation conversation, Map<String, ToolDefinition> tools) {
		ToolResponseMessage toolResponse = conversation.toolResponse();
		if (toolResponse != null) {
			return Reply.text(this.stockAndPrice.fromTools(conversation, toolResponse));
		}
		String text = conversation.current();
		if (text.isEmpty()) {
			return Reply.text(this.advice.welcome());
		}
		if (Intents.summarise(text)) {
			return Reply.text(this.memory.summarise(Conversation.toSummarise(text, this.catalog), text));
		}
		if (Intents.memory(text)) {
			return Reply.text(this.memory.remember(conversation));
		}
		boolean stock = Intents.stock(text);
		boolean price = Intents.price(text);
		if (stock || price) {
			return this.stockAndPrice.reply(conversation, stock, price, tools);
		}
		List<Flower> flowers = conversation.currentFlowers();
		if (Intents.meaning(text) && !flowers.isEmpty()) {
			return Reply.text(this.advice.describe(flowers.get(0), conversation.currentColours()));
		}
		List<Occasion> occasions = this.catalog.mentionedOccasions(text);
		if (!occasions.isEmpty()) {
			return Reply.text(this.advice.recommend(conversation, occasions.get(0)));
		}
		boolean question = Intents.question(text);
		List<String> colours = conversation.currentColours();
		if (flowers.isEmpty() && !colours.isEmpty() && (question || Intents.recommend(text))) {
			return Reply.text(this.advice.inColour(colours.get(0), text));
		}
		if (!flowers.isEmpty()) {
			return Reply.text(question ? this.advice.describe(flowers.get(0), colours)
					: this.advice.acknowledge(conversation, flowers));
		}
		Optional<Occasion> earlierOccasion = conversation.occasion();
		if (Intents.recommend(text) && earlierOccasion.isPresent()) {
			return Reply.text(this.advice.recommend(conversation, earlierOccasion.get()));
		}
		if (Intents.recommend(text) || (question && conversation.relation().isPresent())) {
			return Reply.text(this.advice.askOccasion(conversation));
		}
		if (Intents.thanks(text)) {
			return Reply.text(this.advice.thanks());
		}
		return Reply.text(this.advice.welcome());
	}

}
