package dev.callbacks.demo.catalog;

import java.math.BigDecimal;

import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;
import org.springframework.util.Assert;

/**
 * The shop's tools for a chat model: stock levels and price quotes from the
 * {@link FlowerCatalog}. Pass an instance to {@code ChatClient...tools(...)}; the tool
 * names are {@value #CHECK_STOCK} and {@value #QUOTE_PRICE}.
 */
public class FlowerTools {

	/** The name of the stock tool. */
	public static final String CHECK_STOCK = "checkStock";

	/** The name of the price tool. */
	public static final String QUOTE_PRICE = "quotePrice";

	private final FlowerCatalog catalog;

	/**
	 * Create tools backed by a catalogue.
	 * @param catalog the catalogue
	 */
	public FlowerTools(FlowerCatalog catalog) {
		Assert.notNull(catalog, "catalog must not be null");
		this.catalog = catalog;
	}

	/**
	 * How many stems of a flower are in stock.
	 * @param flower the flower's name, e.g. "rose" or "Roses"
	 * @return the stock level; {@code known} is false if the shop does not sell it
	 */
	@Tool(name = CHECK_STOCK, description = "Check how many stems of a flower the shop has in stock.")
	public StockLevel checkStock(
			@ToolParam(description = "The flower's name, for example rose or tulip") String flower) {
		return this.catalog.findByName(flower)
			.map((found) -> new StockLevel(found.name(), true, found.stock()))
			.orElseGet(() -> new StockLevel(flower, false, 0));
	}

	/**
	 * What a number of stems of a flower costs.
	 * @param flower the flower's name, e.g. "rose" or "Roses"
	 * @param stems the number of stems, at least 1
	 * @return the quote; {@code known} is false if the shop does not sell it
	 */
	@Tool(name = QUOTE_PRICE, description = "Quote the price of a number of stems of a flower.")
	public PriceQuote quotePrice(@ToolParam(description = "The flower's name, for example rose or tulip") String flower,
			@ToolParam(description = "How many stems, at least 1") int stems) {
		// The message reaches the model as the tool's result, so it can ask again.
		Assert.isTrue(stems > 0, "The number of stems must be at least 1, not " + stems);
		String currency = this.catalog.currency();
		return this.catalog.findByName(flower)
			.map((found) -> new PriceQuote(found.name(), true, stems, found.pricePerStem(),
					found.pricePerStem().multiply(BigDecimal.valueOf(stems)), currency, found.stock()))
			.orElseGet(() -> new PriceQuote(flower, false, stems, BigDecimal.ZERO, BigDecimal.ZERO, currency, 0));
	}

}
