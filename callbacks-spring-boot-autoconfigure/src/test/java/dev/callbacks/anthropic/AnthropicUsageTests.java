package dev.callbacks.anthropic;

import java.math.BigDecimal;
import java.util.List;

import dev.callbacks.ai.usage.UsageAnomalies;
import dev.callbacks.event.LlmEndEvent;
import dev.callbacks.test.AnthropicMockServer;
import dev.callbacks.test.AnthropicMockServer.Reply;
import dev.callbacks.test.AnthropicMockServer.Usage;
import dev.callbacks.test.ProviderContext;
import dev.callbacks.test.ProviderContext.Tracked;
import dev.callbacks.usage.TokenUsage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.model.anthropic.autoconfigure.AnthropicChatAutoConfiguration;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tokens and cost of Anthropic rounds, through Spring AI's real Anthropic client against
 * a local server that speaks the Messages API, must be what Anthropic bills for what it
 * reported.
 * <p>
 * Anthropic's rules (platform.claude.com/docs/en/build-with-claude/prompt-caching,
 * "Tracking cache performance" and "Pricing";
 * docs.anthropic.com/en/docs/about-claude/pricing): {@code input_tokens} counts only the
 * tokens after the last cache breakpoint; the input billed is
 * {@code input_tokens + cache_read_input_tokens + cache_creation_input_tokens}, cache
 * reads at 0.1× the input price, five-minute cache writes at 1.25×, one-hour writes at
 * 2×; {@code output_tokens} includes extended thinking and is billed at the output price
 * (platform.claude.com/docs/en/build-with-claude/extended-thinking, "Pricing"). Prices
 * below are Claude Sonnet 4's, per million tokens.
 */
@Timeout(60)
class AnthropicUsageTests {

	private static final String MODEL = AnthropicMockServer.MODEL;

	private static final String INPUT = "3";

	private static final String OUTPUT = "15";

	private static final String CACHE_READ = "0.30";

	private static final String CACHE_WRITE_5M = "3.75";

	private static final String CACHE_WRITE_1H = "6";

	private final AnthropicMockServer server = AnthropicMockServer.start();

	private final ApplicationContextRunner runner = ProviderContext.withPrices(
			ProviderContext.runner(AnthropicChatAutoConfiguration.class, this.server.springBootProperties()), MODEL,
			INPUT, OUTPUT, CACHE_READ, CACHE_WRITE_5M, CACHE_WRITE_1H);

	@AfterEach
	void close() {
		this.server.close();
	}

	// The first row: 1,800 tokens read from the cache and 29 new ones are 1,829
	// input tokens.
	private static final Usage CACHE_READ_USAGE = Usage.of(29, 14).withCacheRead(1800);

	@Test
	void callCountsAndPricesCacheReadsAsInput() {
		this.server.enqueue(Reply.text("Roses.").withUsage(CACHE_READ_USAGE));

		this.runner.run(context -> ProviderContext.track(context, client -> call(client),
				tracked -> assertBilled(tracked, List.of(CACHE_READ_USAGE), true)));
	}

	@Test
	void streamCountsAndPricesCacheReadsAsInput() {
		this.server.enqueue(Reply.text("Roses and tulips.").withUsage(CACHE_READ_USAGE));

		this.runner.run(context -> ProviderContext.track(context, client -> stream(client),
				tracked -> assertBilled(tracked, List.of(CACHE_READ_USAGE), true)));
	}

	// The second row: 1,200 tokens written to the cache (five-minute TTL) and 30
	// new ones are 1,230 input tokens.
	private static final Usage CACHE_WRITE_5M_USAGE = Usage.of(30, 9).withCacheWrite5m(1200);

	@Test
	void callCountsFiveMinuteCacheWritesAsInput() {
		this.server.enqueue(Reply.text("Lilies.").withUsage(CACHE_WRITE_5M_USAGE));

		this.runner.run(context -> ProviderContext.track(context, client -> call(client),
				tracked -> assertBilled(tracked, List.of(CACHE_WRITE_5M_USAGE), false)));
	}

	@Test
	void streamCountsFiveMinuteCacheWritesAsInput() {
		this.server.enqueue(Reply.text("Lilies.").withUsage(CACHE_WRITE_5M_USAGE));

		this.runner.run(context -> ProviderContext.track(context, client -> stream(client),
				tracked -> assertBilled(tracked, List.of(CACHE_WRITE_5M_USAGE), false)));
	}

	@Test
	void callCostsFiveMinuteCacheWritesAtOneAndAQuarterTimesInput() {
		this.server.enqueue(Reply.text("Lilies.").withUsage(CACHE_WRITE_5M_USAGE));

		this.runner.run(context -> ProviderContext.track(context, client -> call(client),
				tracked -> assertCost(tracked, List.of(CACHE_WRITE_5M_USAGE))));
	}

	private static final Usage CACHE_WRITE_1H_USAGE = Usage.of(30, 9).withCacheWrite1h(1200);

	@Test
	void callCountsOneHourCacheWritesFromTheTtlSplit() {
		this.server.enqueue(Reply.text("Tulips.").withUsage(CACHE_WRITE_1H_USAGE));

		this.runner.run(context -> ProviderContext.track(context, client -> call(client),
				tracked -> assertBilled(tracked, List.of(CACHE_WRITE_1H_USAGE), false)));
	}

	@Test
	void callCostsOneHourCacheWritesAtTwiceInput() {
		this.server.enqueue(Reply.text("Tulips.").withUsage(CACHE_WRITE_1H_USAGE));

		this.runner.run(context -> ProviderContext.track(context, client -> call(client),
				tracked -> assertCost(tracked, List.of(CACHE_WRITE_1H_USAGE))));
	}

	@Test
	void streamCountsOneHourCacheWritesByTheTtlTheRequestAskedFor() {
		// message_delta has no cache_creation split: the request's one-hour breakpoints
		// tell the writes' time to live.
		this.server.enqueue(Reply.text("Tulips.").withUsage(CACHE_WRITE_1H_USAGE));

		this.runner.withPropertyValues(ONE_HOUR_SYSTEM_CACHE)
			.run(context -> ProviderContext.track(context, client -> stream(client.prompt().system(SYSTEM)),
					tracked -> {
						assertBilled(tracked, List.of(CACHE_WRITE_1H_USAGE), false);
						assertThat(this.server.request(0).body().at("/system/0/cache_control/ttl").asString(""))
							.as("the breakpoint the server was asked for")
							.isEqualTo("1h");
					}));
	}

	@Test
	void streamCostsOneHourCacheWritesAtTwiceInput() {
		this.server.enqueue(Reply.text("Tulips.").withUsage(CACHE_WRITE_1H_USAGE));

		this.runner.withPropertyValues(ONE_HOUR_SYSTEM_CACHE)
			.run(context -> ProviderContext.track(context, client -> stream(client.prompt().system(SYSTEM)),
					tracked -> assertCost(tracked, List.of(CACHE_WRITE_1H_USAGE))));
	}

	@Test
	void streamWithFiveMinuteBreakpointsCountsNoOneHourWrites() {
		this.server.enqueue(Reply.text("Lilies.").withUsage(CACHE_WRITE_5M_USAGE));

		this.runner.withPropertyValues("spring.ai.anthropic.chat.cache-options.strategy=system-only")
			.run(context -> ProviderContext.track(context, client -> stream(client.prompt().system(SYSTEM)),
					tracked -> {
						assertBilled(tracked, List.of(CACHE_WRITE_5M_USAGE), false);
						assertThat(this.server.request(0).body().at("/system/0/cache_control/type").asString(""))
							.isEqualTo("ephemeral");
					}));
	}

	// Reads, and writes of both times to live, in one round: every part at its price.
	private static final Usage MIXED_CACHE_USAGE = Usage.of(29, 40)
		.withCacheRead(1800)
		.withCacheWrite5m(300)
		.withCacheWrite1h(600);

	@Test
	void callCountsReadsAndBothKindsOfWrites() {
		this.server.enqueue(Reply.text("Peonies.").withUsage(MIXED_CACHE_USAGE));

		this.runner.run(context -> ProviderContext.track(context, client -> call(client),
				tracked -> assertBilled(tracked, List.of(MIXED_CACHE_USAGE), false)));
	}

	@Test
	void callCostsReadsAndBothKindsOfWritesEachAtItsPrice() {
		this.server.enqueue(Reply.text("Peonies.").withUsage(MIXED_CACHE_USAGE));

		this.runner.run(context -> ProviderContext.track(context, client -> call(client),
				tracked -> assertCost(tracked, List.of(MIXED_CACHE_USAGE))));
	}

	// The third row: 100 of 112 output tokens were thinking.
	private static final Usage THINKING_USAGE = Usage.of(40, 112).withThinking(100);

	@Test
	void callCountsThinkingAsReasoningWithinTheOutput() {
		this.server.enqueue(Reply.text("Carnations.").withThinking("The user likes red.").withUsage(THINKING_USAGE));

		this.runner.run(context -> ProviderContext.track(context, client -> call(client),
				tracked -> assertBilled(tracked, List.of(THINKING_USAGE), true)));
	}

	@Test
	void streamCountsThinkingAsReasoningWithinTheOutput() {
		this.server.enqueue(Reply.text("Carnations.").withThinking("The user likes red.").withUsage(THINKING_USAGE));

		this.runner.run(context -> ProviderContext.track(context, client -> stream(client),
				tracked -> assertBilled(tracked, List.of(THINKING_USAGE), true)));
	}

	private static final Usage TOOL_ROUND_1 = Usage.of(350, 60).withCacheRead(1024);

	private static final Usage TOOL_ROUND_2 = Usage.of(420, 25).withCacheRead(1024);

	@Test
	void everyRoundOfAToolCallingCallIsCounted() {
		enqueueToolExchange();

		this.runner.run(context -> ProviderContext.track(context,
				client -> client.prompt("Weather in Paris?").tools(new WeatherTools()).call().content(), tracked -> {
					assertBilled(tracked, List.of(TOOL_ROUND_1, TOOL_ROUND_2), true);
					assertThat(this.server.requests()).hasSize(2);
				}));
	}

	@Test
	void everyRoundOfAToolCallingStreamIsCounted() {
		enqueueToolExchange();

		this.runner.run(context -> ProviderContext.track(context,
				client -> ProviderContext.streamed(client.prompt("Weather in Paris?").tools(new WeatherTools())),
				tracked -> {
					assertBilled(tracked, List.of(TOOL_ROUND_1, TOOL_ROUND_2), true);
					assertThat(this.server.request(1).body().at("/messages/1/content/0/type").asString(""))
						.isEqualTo("tool_use");
				}));
	}

	private void enqueueToolExchange() {
		this.server.enqueue(
				Reply.toolCall("toolu_01", "currentWeather", "{\"city\":\"Paris\"}").withUsage(TOOL_ROUND_1),
				Reply.text("It is sunny in Paris.").withUsage(TOOL_ROUND_2));
	}

	@Test
	void aNegativeCountDoesNotFailTheStreamAndTheRoundIsEstimated() {
		this.server.enqueue(Reply.text("Roses.").withUsage(Usage.of(-1, 12)));
		long before = UsageAnomalies.count("anthropic", UsageAnomalies.Kind.NEGATIVE_COUNT);

		this.runner.run(context -> ProviderContext.track(context, client -> stream(client), tracked -> {
			TokenUsage usage = tracked.handler().single(LlmEndEvent.class).usage();
			assertThat(usage.estimated()).isTrue();
			assertThat(usage.promptTokens()).isPositive();
			assertThat(tracked.usage().successfulRequests()).isOne();
			assertThat(UsageAnomalies.count("anthropic", UsageAnomalies.Kind.NEGATIVE_COUNT)).isGreaterThan(before);
		}));
	}

	private static final String SYSTEM = "You are a florist.";

	private static final String[] ONE_HOUR_SYSTEM_CACHE = {
			"spring.ai.anthropic.chat.cache-options.strategy=system-only",
			"spring.ai.anthropic.chat.cache-options.message-type-ttl.system=one-hour" };

	private static String call(ChatClient client) {
		return client.prompt("Which flowers?").call().content();
	}

	private static String stream(ChatClient client) {
		return stream(client.prompt());
	}

	private static String stream(ChatClient.ChatClientRequestSpec request) {
		return ProviderContext.streamed(request.user("Which flowers?"));
	}

	/**
	 * What Anthropic bills for {@code sent}, in the starter's definition: every input
	 * token in the prompt, cache reads and writes as parts of it; thinking as a part of
	 * the output.
	 */
	private static TokenUsage billed(Usage sent) {
		long input = sent.inputTokens() + sent.cacheReadInputTokens() + sent.cacheCreationInputTokens();
		return new TokenUsage(input, sent.outputTokens(), input + sent.outputTokens(), sent.cacheReadInputTokens(),
				sent.cacheCreationInputTokens(), sent.cacheWrite1hTokens(),
				(sent.thinkingTokens() != null) ? sent.thinkingTokens() : 0, false);
	}

	/** What Anthropic charges for {@code sent}, in USD. */
	private static BigDecimal charged(Usage sent) {
		return new BigDecimal(INPUT).multiply(BigDecimal.valueOf(sent.inputTokens()))
			.add(new BigDecimal(CACHE_READ).multiply(BigDecimal.valueOf(sent.cacheReadInputTokens())))
			.add(new BigDecimal(CACHE_WRITE_5M).multiply(BigDecimal.valueOf(sent.cacheWrite5mTokens())))
			.add(new BigDecimal(CACHE_WRITE_1H).multiply(BigDecimal.valueOf(sent.cacheWrite1hTokens())))
			.add(new BigDecimal(OUTPUT).multiply(BigDecimal.valueOf(sent.outputTokens())))
			.movePointLeft(6);
	}

	private static void assertBilled(Tracked tracked, List<Usage> sent, boolean withCost) {
		List<TokenUsage> perRound = sent.stream().map(AnthropicUsageTests::billed).toList();
		TokenUsage total = perRound.stream().reduce(TokenUsage.ZERO, TokenUsage::plus);
		assertThat(tracked.runUsages()).as("LlmEndEvent.usage() per round").isEqualTo(perRound);
		assertThat(tracked.runModels()).containsOnly(MODEL);
		assertThat(tracked.usage().usage()).isEqualTo(total);
		assertThat(tracked.usage().totalTokens()).isEqualTo(total.promptTokens() + total.completionTokens());
		assertThat(tracked.usage().byModel()).containsExactly(entry(MODEL, total));
		assertThat(tracked.usage().successfulRequests()).isEqualTo(sent.size());
		assertThat(tracked.usage().failedRequests()).isZero();
		assertThat(tracked.usage().unpricedModels()).isEmpty();
		if (withCost) {
			assertCost(tracked, sent);
		}
	}

	private static void assertCost(Tracked tracked, List<Usage> sent) {
		BigDecimal expected = sent.stream().map(AnthropicUsageTests::charged).reduce(BigDecimal.ZERO, BigDecimal::add);
		assertThat(tracked.usage().totalCost()).isEqualByComparingTo(expected);
	}

	static class WeatherTools {

		@Tool(description = "Get the current weather in a city")
		String currentWeather(String city) {
			return "Sunny, 24°C in " + city;
		}

	}

}
