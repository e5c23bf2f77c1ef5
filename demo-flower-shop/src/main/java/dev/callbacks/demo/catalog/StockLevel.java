package dev.callbacks.demo.catalog;

/**
 * The answer of {@link FlowerTools#checkStock(String)}.
 *
 * @param flower the catalogue name of the flower, or the name asked for when the shop
 * does not sell it
 * @param known whether the shop sells the flower
 * @param stemsInStock the number of stems in stock, {@code 0} when sold out or unknown
 */
public record StockLevel(String flower, boolean known, int stemsInStock) {

}
