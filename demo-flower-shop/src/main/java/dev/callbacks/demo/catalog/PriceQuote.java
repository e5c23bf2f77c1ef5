package dev.callbacks.demo.catalog;

import java.math.BigDecimal;

/**
 * The answer of {@link FlowerTools#quotePrice(String, int)}.
 *
 * @param flower the catalogue name of the flower, or the name asked for when the shop
 * does not sell it
 * @param known whether the shop sells the flower
 * @param stems the number of stems quoted
 * @param pricePerStem the price of one stem, {@code 0} when unknown
 * @param total the price of all stems, {@code 0} when unknown
 * @param currency the ISO code of the currency, e.g. {@code USD}
 * @param stemsInStock the stems in stock, so a quote can say when there are not enough
 */
public record PriceQuote(String flower, boolean known, int stems, BigDecimal pricePerStem, BigDecimal total,
		String currency, int stemsInStock) {

}
