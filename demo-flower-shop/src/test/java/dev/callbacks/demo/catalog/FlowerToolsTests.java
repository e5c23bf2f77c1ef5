package dev.callbacks.demo.catalog;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.ai.support.ToolCallbacks;
import org.springframework.ai.tool.ToolCallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link FlowerTools}.
 */
class FlowerToolsTests {

	private final FlowerTools tools = new FlowerTools(FlowerCatalog.load());

	@Test
	void checksStock() {
		assertThat(this.tools.checkStock("Roses")).isEqualTo(new StockLevel("Rose", true, 120));
		assertThat(this.tools.checkStock("freesia")).isEqualTo(new StockLevel("Freesia", true, 0));
		assertThat(this.tools.checkStock("poppies")).isEqualTo(new StockLevel("poppies", false, 0));
	}

	@Test
	void quotesPrices() {
		PriceQuote quote = this.tools.quotePrice("pink roses", 12);
		assertThat(quote.flower()).isEqualTo("Rose");
		assertThat(quote.known()).isTrue();
		assertThat(quote.stems()).isEqualTo(12);
		assertThat(quote.pricePerStem()).isEqualByComparingTo("3.50");
		assertThat(quote.total()).isEqualByComparingTo("42.00");
		assertThat(quote.currency()).isEqualTo("USD");
		assertThat(quote.stemsInStock()).isEqualTo(120);
		assertThat(this.tools.quotePrice("poppy", 3).known()).isFalse();
		assertThat(this.tools.quotePrice("poppy", 3).total()).isEqualByComparingTo(BigDecimal.ZERO);
		assertThatIllegalArgumentException().isThrownBy(() -> this.tools.quotePrice("rose", 0));
	}

	@Test
	void areSpringAiToolsWithStableNamesAndSchemas() {
		List<ToolCallback> callbacks = List.of(ToolCallbacks.from(this.tools));
		assertThat(callbacks).extracting((callback) -> callback.getToolDefinition().name())
			.containsExactlyInAnyOrder(FlowerTools.CHECK_STOCK, FlowerTools.QUOTE_PRICE);
		ToolCallback quote = callbacks.stream()
			.filter((callback) -> callback.getToolDefinition().name().equals(FlowerTools.QUOTE_PRICE))
			.findFirst()
			.orElseThrow();
		assertThat(quote.getToolDefinition().inputSchema()).contains("\"flower\"").contains("\"stems\"");
		assertThat(quote.call("{\"flower\":\"tulip\",\"stems\":20}")).contains("\"total\":45");
	}

}
