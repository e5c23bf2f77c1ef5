package dev.callbacks.demo.model;

import java.math.BigDecimal;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.chat.messages.ToolResponseMessage.ToolResponse;

/**
 * One tool's result, read back from the JSON it returned: a stock level, a price quote, a
 * message, or something else. Fields are read when asked for, with the fallback the
 * caller gives, as a model makes the best of what a tool said.
 */
final class ToolResult {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ToolResponse response;

	private final @Nullable JsonNode json;

	private ToolResult(ToolResponse response, @Nullable JsonNode json) {
		this.response = response;
		this.json = json;
	}

	static ToolResult read(ToolResponse response) {
		return new ToolResult(response, parse(response.responseData()));
	}

	/** Whether the result is a price quote: an object with a {@code total}. */
	boolean isPriceQuote() {
		return this.json != null && this.json.isObject() && this.json.has("total");
	}

	/** Whether the result is a stock level: an object with {@code stemsInStock}. */
	boolean isStockLevel() {
		return this.json != null && this.json.isObject() && this.json.has("stemsInStock");
	}

	/** The result when it is a JSON string (a tool's error message, say), else null. */
	@Nullable String message() {
		return (this.json != null && this.json.isString()) ? this.json.asString() : null;
	}

	/** The tool's name. */
	String toolName() {
		return this.response.name();
	}

	/** What the tool returned, as it returned it. */
	String raw() {
		return this.response.responseData();
	}

	String flower() {
		return field("flower").asString("");
	}

	/** Whether the tool knows the flower; true unless it says otherwise. */
	boolean known() {
		return field("known").asBoolean(true);
	}

	int stems() {
		return field("stems").asInt(1);
	}

	int stemsInStock(int fallback) {
		return field("stemsInStock").asInt(fallback);
	}

	BigDecimal pricePerStem(BigDecimal fallback) {
		return field("pricePerStem").asDecimal(fallback);
	}

	/** The quote's total; fails if it is not a number. */
	BigDecimal total() {
		return field("total").asDecimal();
	}

	String currency(String fallback) {
		return field("currency").asString(fallback);
	}

	private JsonNode field(String name) {
		return (this.json != null) ? this.json.path(name) : JSON.missingNode();
	}

	private static @Nullable JsonNode parse(String json) {
		try {
			return JSON.readTree(json);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

}
