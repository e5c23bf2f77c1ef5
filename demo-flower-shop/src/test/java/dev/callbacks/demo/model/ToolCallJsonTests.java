package dev.callbacks.demo.model;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.messages.AssistantMessage.ToolCall;
import org.springframework.ai.chat.messages.ToolResponseMessage.ToolResponse;
import org.springframework.ai.tool.definition.ToolDefinition;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ToolCallJson} and {@link ToolResult}.
 */
class ToolCallJsonTests {

	@Test
	void putsTheArgumentsWhereTheSchemaWantsThem() {
		ToolDefinition tool = tool("quote", """
				{"type":"object","properties":{"count":{"type":"integer"},"species":{"type":"string"},
				"note":{"type":"string"},"extra":{"type":"number"}}}""");

		ToolCall call = ToolCallJson.toolCall("call_9", tool, "rose", 12);

		assertThat(call.id()).isEqualTo("call_9");
		assertThat(call.type()).isEqualTo("function");
		assertThat(call.name()).isEqualTo("quote");
		assertThat(call.arguments()).isEqualTo("{\"species\":\"rose\",\"count\":12}");
	}

	@Test
	void leavesOutTheStemsWhenNoneAreGivenOrTheToolTakesNoNumber() {
		ToolDefinition both = tool("quote", """
				{"properties":{"flower":{"type":"string"},"stems":{"type":"integer"}}}""");
		ToolDefinition textOnly = tool("stock", """
				{"properties":{"name":{"type":"string"}}}""");

		assertThat(ToolCallJson.toolCall("a", both, "tulip", null).arguments()).isEqualTo("{\"flower\":\"tulip\"}");
		assertThat(ToolCallJson.toolCall("b", textOnly, "tulip", 3).arguments()).isEqualTo("{\"name\":\"tulip\"}");
	}

	@Test
	void fallsBackToTheShopsParameterNames() {
		ToolDefinition unreadable = tool("quote", "{not json");
		ToolDefinition noString = tool("quote", """
				{"properties":{"n":{"type":"number"}}}""");

		assertThat(ToolCallJson.toolCall("a", unreadable, "lily", 2).arguments())
			.isEqualTo("{\"flower\":\"lily\",\"stems\":2}");
		assertThat(ToolCallJson.toolCall("b", noString, "lily", 2).arguments())
			.isEqualTo("{\"flower\":\"lily\",\"n\":2}");
	}

	@Test
	void readsAPriceQuote() {
		ToolResult result = result(
				"""
						{"flower":"Rose","known":true,"stems":12,"pricePerStem":3.5,"total":42.0,"currency":"EUR","stemsInStock":5}""");

		assertThat(result.isPriceQuote()).isTrue();
		assertThat(result.flower()).isEqualTo("Rose");
		assertThat(result.known()).isTrue();
		assertThat(result.stems()).isEqualTo(12);
		assertThat(result.pricePerStem(BigDecimal.ONE)).isEqualByComparingTo("3.5");
		assertThat(result.total()).isEqualByComparingTo("42");
		assertThat(result.currency("USD")).isEqualTo("EUR");
		assertThat(result.stemsInStock(-1)).isEqualTo(5);
	}

	@Test
	void readsAStockLevelWithFallbacksForWhatIsMissing() {
		ToolResult result = result("{\"flower\":\"Tulip\",\"stemsInStock\":7}");

		assertThat(result.isPriceQuote()).isFalse();
		assertThat(result.isStockLevel()).isTrue();
		assertThat(result.known()).isTrue();
		assertThat(result.stems()).isOne();
		assertThat(result.currency("USD")).isEqualTo("USD");
		assertThat(result.pricePerStem(BigDecimal.TEN)).isEqualByComparingTo("10");
	}

	@Test
	void readsAMessageAndKeepsWhatItCannotRead() {
		ToolResult message = result("\"The number of stems must be at least 1\"");
		ToolResult garbage = result("not json at all");
		ToolResult array = result("[1,2]");

		assertThat(message.message()).isEqualTo("The number of stems must be at least 1");
		assertThat(message.isStockLevel()).isFalse();
		assertThat(garbage.message()).isNull();
		assertThat(garbage.isPriceQuote()).isFalse();
		assertThat(garbage.raw()).isEqualTo("not json at all");
		assertThat(garbage.toolName()).isEqualTo("quotePrice");
		assertThat(array.message()).isNull();
		assertThat(array.isStockLevel()).isFalse();
	}

	private static ToolDefinition tool(String name, String schema) {
		return ToolDefinition.builder().name(name).description(name).inputSchema(schema).build();
	}

	private static ToolResult result(String json) {
		return ToolResult.read(new ToolResponse("call_1", "quotePrice", json));
	}

}
