package dev.callbacks.metrics;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.callbacks.CallbackManager;
import dev.callbacks.ai.CallbackAdvisors;
import dev.callbacks.test.ScriptedChatModel;
import dev.callbacks.test.ScriptedChatModel.Reply;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.tool.annotation.Tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;

/** The tool meters of real {@code ChatClient} tool rounds over a scripted model. */
class ToolMetersTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final ScriptedChatModel model = new ScriptedChatModel();

	private ChatClient client(MicrometerCallbackObserver observer) {
		return ChatClient.builder(this.model)
			.defaultAdvisors(CallbackAdvisors.of(CallbackManager.builder().observers(List.of(observer)).build()))
			.build();
	}

	@Test
	void aToolRoundIsTimedByToolAndOutcomeAndCarriesTheTokensOfTheRoundThatAskedForIt() {
		this.model.then(Reply.toolCall("stock", "{\"flower\":\"rose\"}").usage(20, 5))
			.then(Reply.text("We have 42 roses.").usage(30, 6));
		ChatClient client = client(new MicrometerCallbackObserver(this.registry));

		assertThat(client.prompt("Roses?").tools(new StockTools()).call().content()).isEqualTo("We have 42 roses.");
		this.model.then(Reply.toolCall("stock", "{\"flower\":\"tulip\"}").usage(21, 4))
			.then(Reply.text("None.").usage(31, 2));
		client.prompt("Tulips?").tools(new StockTools()).stream().content().blockLast();

		Timer success = tool("stock", "success");
		assertThat(success.count()).isEqualTo(2);
		assertThat(success.totalTime(TimeUnit.NANOSECONDS)).isPositive();
		// Only the rounds that asked for the tool, not the answering rounds (30+31, 6+2).
		assertThat(this.registry.get(LlmMeters.TOOL_TOKENS)
			.tag("tool", "stock")
			.tag("client", CallbackManager.DEFAULT_CHAIN_NAME)
			.tag("type", "input")
			.counter()
			.count()).isEqualTo(41);
		assertThat(
				this.registry.get(LlmMeters.TOOL_TOKENS).tag("tool", "stock").tag("type", "output").counter().count())
			.isEqualTo(9);
		assertThat(this.registry.get(LlmMeters.TOOL_TOKENS).counter().getId().getBaseUnit()).isEqualTo("tokens");
		assertThat(tool("stock", "error").count()).isZero();
	}

	@Test
	void aToolThatThrowsIsAnErrorOutcome() {
		this.model.then(Reply.toolCall("broken", "{\"flower\":\"rose\"}").usage(20, 5));
		ChatClient client = client(new MicrometerCallbackObserver(this.registry));

		assertThatRuntimeException()
			.isThrownBy(() -> client.prompt("Roses?").tools(new BrokenTools()).call().content());

		assertThat(tool("broken", "error").count()).isOne();
		assertThat(tool("broken", "success").count()).isZero();
	}

	@Test
	void toolNamesBeyondTheBoundAreOther() {
		this.model.then(Reply.toolCall("stock", "{\"flower\":\"rose\"}").usage(20, 5))
			.then(Reply.text("42.").usage(30, 6))
			.then(Reply.toolCall("price", "{\"flower\":\"rose\"}").usage(22, 5))
			.then(Reply.text("3 euros.").usage(32, 3))
			.then(Reply.toolCall("stock", "{\"flower\":\"rose\"}").usage(20, 5))
			.then(Reply.text("42.").usage(30, 6));
		ChatClient client = client(new MicrometerCallbackObserver(this.registry, null, java.util.Set.of(), run -> null,
				ModelTags.defaults(), new ToolTags(1), true));

		client.prompt("Roses?").tools(new StockTools()).call().content();
		client.prompt("Price?").tools(new PriceTools()).call().content();
		client.prompt("Roses?").tools(new StockTools()).call().content();

		// A name once recorded as itself stays so.
		assertThat(tool("stock", "success").count()).isEqualTo(2);
		assertThat(tool("other", "success").count()).isEqualTo(1);
		assertThat(this.registry.find(LlmMeters.TOOL_DURATION).tag("tool", "price").timers()).isEmpty();
	}

	private Timer tool(String tool, String outcome) {
		return this.registry.get(LlmMeters.TOOL_DURATION)
			.tag("tool", tool)
			.tag("client", CallbackManager.DEFAULT_CHAIN_NAME)
			.tag("outcome", outcome)
			.timer();
	}

	static class StockTools {

		@Tool(name = "stock", description = "Stems in stock for a flower")
		String stock(String flower) {
			return flower.equals("rose") ? "42" : "0";
		}

	}

	static class PriceTools {

		@Tool(name = "price", description = "Price of a flower")
		String price(String flower) {
			return "3";
		}

	}

	static class BrokenTools {

		@Tool(name = "broken", description = "Always fails")
		String broken(String flower) {
			throw new IllegalStateException("stock database down");
		}

	}

}
