package dev.callbacks.ollama;

import java.math.BigDecimal;
import java.util.List;

import dev.callbacks.ai.usage.UsageAnomalies;
import dev.callbacks.event.LlmEndEvent;
import dev.callbacks.test.OllamaMockServer;
import dev.callbacks.test.OllamaMockServer.Reply;
import dev.callbacks.test.ProviderContext;
import dev.callbacks.test.ProviderContext.Tracked;
import dev.callbacks.usage.TokenUsage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.model.ollama.autoconfigure.OllamaApiAutoConfiguration;
import org.springframework.ai.model.ollama.autoconfigure.OllamaChatAutoConfiguration;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tokens of Ollama rounds, through Spring AI's real Ollama client against a local server
 * that speaks {@code /api/chat}, must be the counts Ollama reported under their one model
 * name.
 * <p>
 * Ollama's counts (docs.ollama.com/api/chat, the final {@code "done": true} object):
 * {@code prompt_eval_count} input tokens, {@code eval_count} output tokens, thinking
 * included (docs.ollama.com/capabilities/thinking); no cache or reasoning breakdown.
 * Ollama runs locally and bills nothing; a price configured for the model (to charge
 * compute internally) applies to those two counts.
 */
@Timeout(60)
class OllamaUsageTests {

	private static final String MODEL = OllamaMockServer.MODEL;

	private static final String INPUT = "0.05";

	private static final String OUTPUT = "0.20";

	private final OllamaMockServer server = OllamaMockServer.start();

	private final ApplicationContextRunner runner = ProviderContext.withPrices(
			ProviderContext.runner(OllamaChatAutoConfiguration.class, this.server.springBootProperties())
				.withConfiguration(AutoConfigurations.of(OllamaApiAutoConfiguration.class)),
			MODEL, INPUT, OUTPUT, null, null, null);

	@AfterEach
	void close() {
		this.server.close();
	}

	@Test
	void callCountsPromptEvalAndEvalCounts() {
		this.server.enqueue(Reply.text("Daffodils.").withCounts(26, 12));

		this.runner.run(context -> ProviderContext.track(context, client -> call(client),
				tracked -> assertCounted(tracked, List.of(TokenUsage.of(26, 12)))));
	}

	@Test
	void streamCountsTheDoneLine() {
		this.server.enqueue(Reply.text("Daffodils and tulips in spring.").withCounts(26, 14));

		this.runner.run(context -> ProviderContext.track(context, client -> stream(client), tracked -> {
			assertCounted(tracked, List.of(TokenUsage.of(26, 14)));
			assertThat(this.server.request(0).body().path("stream").asBoolean(false)).isTrue();
		}));
	}

	@Test
	void callCountsThinkingInTheOutput() {
		// eval_count includes the thinking; Ollama does not say how much of it was.
		this.server.enqueue(Reply.text("Daffodils.").withThinking("Spring flowers, yellow.").withCounts(30, 140));

		this.runner.run(context -> ProviderContext.track(context, client -> call(client),
				tracked -> assertCounted(tracked, List.of(TokenUsage.of(30, 140)))));
	}

	@Test
	void streamCountsThinkingInTheOutput() {
		this.server.enqueue(Reply.text("Daffodils.").withThinking("Spring flowers, yellow.").withCounts(30, 140));

		this.runner.run(context -> ProviderContext.track(context, client -> stream(client),
				tracked -> assertCounted(tracked, List.of(TokenUsage.of(30, 140)))));
	}

	@Test
	void everyRoundOfAToolCallingCallIsCounted() {
		enqueueToolExchange();

		this.runner.run(context -> ProviderContext.track(context,
				client -> client.prompt("Weather in Paris?").tools(new WeatherTools()).call().content(),
				tracked -> assertCounted(tracked, List.of(TokenUsage.of(120, 22), TokenUsage.of(160, 9)))));
	}

	@Test
	void everyRoundOfAToolCallingStreamIsCountedUnderOneModelName() {
		// The fifth row: Spring AI merges the tool-call line and the done line of
		// a streamed round into one chunk, concatenating their model names.
		enqueueToolExchange();

		this.runner.run(context -> ProviderContext.track(context,
				client -> ProviderContext.streamed(client.prompt("Weather in Paris?").tools(new WeatherTools())),
				tracked -> {
					assertCounted(tracked, List.of(TokenUsage.of(120, 22), TokenUsage.of(160, 9)));
					assertThat(tracked.handler().events(LlmEndEvent.class))
						.allSatisfy(end -> assertThat(end.response().getMetadata().getModel()).isEqualTo(MODEL));
					assertThat(this.server.request(1).body().toString()).contains("Sunny, 24");
				}));
	}

	private void enqueueToolExchange() {
		this.server.enqueue(Reply.toolCall("call_x1", "currentWeather", "{\"city\":\"Paris\"}").withCounts(120, 22),
				Reply.text("It is sunny in Paris.").withCounts(160, 9));
	}

	@Test
	void negativeCountsDoNotFailTheChatAndAreEstimatedInstead() {
		this.server.enqueue(Reply.text("Daffodils.").withCounts(-1, 12));
		long before = UsageAnomalies.count("ollama", UsageAnomalies.Kind.NEGATIVE_COUNT);

		this.runner.run(context -> ProviderContext.track(context, client -> call(client), tracked -> {
			TokenUsage usage = tracked.handler().single(LlmEndEvent.class).usage();
			assertThat(usage.estimated()).isTrue();
			assertThat(usage.promptTokens()).isPositive();
			assertThat(usage.completionTokens()).isPositive();
			assertThat(tracked.usage().successfulRequests()).isOne();
			assertThat(tracked.usage().usage()).isEqualTo(usage);
			assertThat(UsageAnomalies.count("ollama", UsageAnomalies.Kind.NEGATIVE_COUNT)).isGreaterThan(before);
		}));
	}

	private static String call(ChatClient client) {
		return client.prompt("Which flowers?").call().content();
	}

	private static String stream(ChatClient client) {
		return ProviderContext.streamed(client.prompt("Which flowers?"));
	}

	private static void assertCounted(Tracked tracked, List<TokenUsage> sent) {
		TokenUsage total = sent.stream().reduce(TokenUsage.ZERO, TokenUsage::plus);
		assertThat(tracked.runUsages()).as("LlmEndEvent.usage() per round").isEqualTo(sent);
		assertThat(tracked.runModels()).containsOnly(MODEL);
		assertThat(tracked.usage().usage()).isEqualTo(total);
		assertThat(tracked.usage().byModel()).containsExactly(entry(MODEL, total));
		assertThat(tracked.usage().successfulRequests()).isEqualTo(sent.size());
		assertThat(tracked.usage().unpricedModels()).isEmpty();
		BigDecimal cost = new BigDecimal(INPUT).multiply(BigDecimal.valueOf(total.promptTokens()))
			.add(new BigDecimal(OUTPUT).multiply(BigDecimal.valueOf(total.completionTokens())))
			.movePointLeft(6);
		assertThat(tracked.usage().totalCost()).isEqualByComparingTo(cost);
	}

	static class WeatherTools {

		@Tool(description = "Get the current weather in a city")
		String currentWeather(String city) {
			return "Sunny, 24°C in " + city;
		}

	}

}
