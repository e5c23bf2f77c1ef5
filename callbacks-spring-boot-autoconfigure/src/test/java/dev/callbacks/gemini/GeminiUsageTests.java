package dev.callbacks.gemini;

import java.math.BigDecimal;
import java.util.List;

import com.google.genai.Client;
import dev.callbacks.ai.usage.ProviderUsage;
import dev.callbacks.ai.usage.UsageAnomalies;
import dev.callbacks.event.LlmEndEvent;
import dev.callbacks.test.GeminiMockServer;
import dev.callbacks.test.GeminiMockServer.Reply;
import dev.callbacks.test.GeminiMockServer.UsageMetadata;
import dev.callbacks.test.GeminiMockServer.UsageStyle;
import dev.callbacks.test.ProviderContext;
import dev.callbacks.test.ProviderContext.Tracked;
import dev.callbacks.usage.TokenUsage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.model.google.genai.autoconfigure.chat.GoogleGenAiChatAutoConfiguration;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tokens and cost of Gemini rounds, through Spring AI's real Google GenAI client against
 * a local server that speaks the Gemini API, must be what Google bills for what it
 * reported.
 * <p>
 * Gemini's rules: {@code promptTokenCount} includes the cached part
 * ({@code cachedContentTokenCount}), which is billed at the context-caching price
 * (ai.google.dev/gemini-api/docs/caching, ai.google.dev/gemini-api/docs/pricing);
 * thinking is billed as output, although {@code candidatesTokenCount} excludes
 * {@code thoughtsTokenCount} (ai.google.dev/gemini-api/docs/thinking, "Pricing");
 * {@code toolUsePromptTokenCount} counts tool results fed back as input;
 * {@code totalTokenCount} is their sum (ai.google.dev/api/generate-content,
 * UsageMetadata). Context caches are charged by storage time, not per request, so no
 * round has cache writes. Prices below are Gemini 2.5 Flash's, per million tokens.
 */
@Timeout(60)
class GeminiUsageTests {

	private static final String MODEL = GeminiMockServer.MODEL;

	private static final String INPUT = "0.30";

	private static final String OUTPUT = "2.50";

	private static final String CACHED_INPUT = "0.03";

	private final GeminiMockServer server = GeminiMockServer.start();

	private final ApplicationContextRunner runner = ProviderContext
		.withPrices(ProviderContext.runner(GoogleGenAiChatAutoConfiguration.class, this.server.springBootProperties())
			.withBean(Client.class, this.server::client), MODEL, INPUT, OUTPUT, CACHED_INPUT, null, null);

	@AfterEach
	void close() {
		this.server.close();
	}

	// The fourth row: 80 thought tokens; candidates 11, total 115.
	private static final UsageMetadata THINKING = UsageMetadata.of(24, 11).withThoughts(80);

	@Test
	void callCountsThoughtsAsOutputAndReasoning() {
		this.server.enqueue(Reply.text("Sunflowers.").withUsage(THINKING));

		this.runner.run(context -> ProviderContext.track(context, client -> call(client), tracked -> {
			assertBilled(tracked, List.of(THINKING));
			assertThat(tracked.usage().totalTokens()).isEqualTo(THINKING.total()).isEqualTo(115);
			assertThat(GeminiMockServer.model(this.server.request(0))).isEqualTo(MODEL);
		}));
	}

	@Test
	void streamCountsThoughtsAsOutputFromTheLastCumulativeChunk() {
		this.server.enqueue(Reply.text("Sunflowers and daisies are cheerful.").withUsage(THINKING));

		this.runner.run(context -> ProviderContext.track(context, client -> stream(client), tracked -> {
			assertBilled(tracked, List.of(THINKING));
			assertThat(this.server.request(0).path()).contains(":streamGenerateContent").contains("alt=sse");
		}));
	}

	@Test
	void streamWhoseUsageComesOnlyWithTheLastChunkIsCounted() {
		// Vertex AI: intermediate chunks carry only the traffic type.
		this.server.enqueue(Reply.text("Sunflowers and daisies are cheerful.")
			.withUsage(THINKING)
			.withUsageStyle(UsageStyle.FINAL_ONLY));

		this.runner.run(context -> ProviderContext.track(context, client -> stream(client),
				tracked -> assertBilled(tracked, List.of(THINKING))));
	}

	private static final UsageMetadata CACHE_READ = UsageMetadata.of(2048, 20).withCached(1536);

	@Test
	void callCountsCachedContentAsTheCachedPartOfThePrompt() {
		this.server.enqueue(Reply.text("Orchids.").withUsage(CACHE_READ));

		this.runner.run(context -> ProviderContext.track(context, client -> call(client),
				tracked -> assertBilled(tracked, List.of(CACHE_READ))));
	}

	@Test
	void streamCountsCachedContentAsTheCachedPartOfThePrompt() {
		this.server.enqueue(Reply.text("Orchids, white ones.").withUsage(CACHE_READ));

		this.runner.run(context -> ProviderContext.track(context, client -> stream(client),
				tracked -> assertBilled(tracked, List.of(CACHE_READ))));
	}

	private static final UsageMetadata TOOL_USE_PROMPT = UsageMetadata.of(30, 15).withToolUsePrompt(200);

	@Test
	void callCountsToolUsePromptTokensAsInput() {
		this.server.enqueue(Reply.text("Grounded answer.").withUsage(TOOL_USE_PROMPT));

		this.runner.run(context -> ProviderContext.track(context, client -> call(client),
				tracked -> assertBilled(tracked, List.of(TOOL_USE_PROMPT))));
	}

	private static final UsageMetadata TOOL_ROUND_1 = UsageMetadata.of(60, 8).withThoughts(40);

	private static final UsageMetadata TOOL_ROUND_2 = UsageMetadata.of(95, 12).withCached(32);

	@Test
	void everyRoundOfAToolCallingCallIsCounted() {
		enqueueToolExchange();

		this.runner.run(context -> ProviderContext.track(context,
				client -> client.prompt("Weather in Paris?").tools(new WeatherTools()).call().content(), tracked -> {
					assertBilled(tracked, List.of(TOOL_ROUND_1, TOOL_ROUND_2));
					assertThat(this.server.request(1).body().toString()).contains("functionResponse");
				}));
	}

	@Test
	void everyRoundOfAToolCallingStreamIsCounted() {
		enqueueToolExchange();

		this.runner.run(context -> ProviderContext.track(context,
				client -> ProviderContext.streamed(client.prompt("Weather in Paris?").tools(new WeatherTools())),
				tracked -> assertBilled(tracked, List.of(TOOL_ROUND_1, TOOL_ROUND_2))));
	}

	private void enqueueToolExchange() {
		this.server.enqueue(Reply.functionCall("currentWeather", "{\"city\":\"Paris\"}").withUsage(TOOL_ROUND_1),
				Reply.text("It is sunny in Paris.").withUsage(TOOL_ROUND_2));
	}

	@Test
	void withoutExtendedUsageMetadataTheThoughtsAreLostAndTheMismatchIsCounted() {
		// Spring AI then reports only prompt, candidates and total: the usage stays
		// valid (total = prompt + completion) and the anomaly is counted.
		this.server.enqueue(Reply.text("Sunflowers.").withUsage(THINKING));
		long before = UsageAnomalies.count(ProviderUsage.UNKNOWN, UsageAnomalies.Kind.TOTAL_MISMATCH);

		this.runner.withPropertyValues("spring.ai.google.genai.chat.include-extended-usage-metadata=false")
			.run(context -> ProviderContext.track(context, client -> call(client), tracked -> {
				assertThat(tracked.runUsages()).containsExactly(TokenUsage.of(24, 11));
				assertThat(UsageAnomalies.count(ProviderUsage.UNKNOWN, UsageAnomalies.Kind.TOTAL_MISMATCH))
					.isGreaterThan(before);
			}));
	}

	@Test
	void aCachedCountLargerThanThePromptIsCappedAndCounted() {
		this.server.enqueue(Reply.text("Orchids.").withUsage(UsageMetadata.of(100, 20).withCached(150)));
		long before = UsageAnomalies.count("google_genai", UsageAnomalies.Kind.PART_EXCEEDS_WHOLE);

		this.runner.run(context -> ProviderContext.track(context, client -> call(client), tracked -> {
			assertThat(tracked.runUsages()).containsExactly(new TokenUsage(100, 20, 120, 100, 0, 0, 0, false));
			assertThat(UsageAnomalies.count("google_genai", UsageAnomalies.Kind.PART_EXCEEDS_WHOLE))
				.isGreaterThan(before);
		}));
	}

	@Test
	void aNegativeThoughtsCountDoesNotFailTheStreamAndTheRoundIsEstimated() {
		this.server.enqueue(Reply.text("Sunflowers.").withUsage(UsageMetadata.of(24, 11).withThoughts(-80)));

		this.runner.run(context -> ProviderContext.track(context, client -> stream(client), tracked -> {
			TokenUsage usage = tracked.handler().single(LlmEndEvent.class).usage();
			assertThat(usage.estimated()).isTrue();
			assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());
			assertThat(tracked.usage().successfulRequests()).isOne();
		}));
	}

	private static String call(ChatClient client) {
		return client.prompt("Which flowers?").call().content();
	}

	private static String stream(ChatClient client) {
		return ProviderContext.streamed(client.prompt("Which flowers?"));
	}

	/**
	 * What Google bills for {@code sent}, in the starter's definition: the prompt with
	 * tool-use prompt tokens, the cached part of it; candidates and thoughts as output,
	 * thoughts as reasoning.
	 */
	private static TokenUsage billed(UsageMetadata sent) {
		long input = sent.promptTokenCount() + sent.toolUsePromptTokenCount();
		long output = sent.candidatesTokenCount() + sent.thoughtsTokenCount();
		return new TokenUsage(input, output, input + output, sent.cachedContentTokenCount(), 0, 0,
				sent.thoughtsTokenCount(), false);
	}

	/** What Google charges for {@code sent}, in USD. */
	private static BigDecimal charged(UsageMetadata sent) {
		long uncached = sent.promptTokenCount() + sent.toolUsePromptTokenCount() - sent.cachedContentTokenCount();
		return new BigDecimal(INPUT).multiply(BigDecimal.valueOf(uncached))
			.add(new BigDecimal(CACHED_INPUT).multiply(BigDecimal.valueOf(sent.cachedContentTokenCount())))
			.add(new BigDecimal(OUTPUT)
				.multiply(BigDecimal.valueOf(sent.candidatesTokenCount() + sent.thoughtsTokenCount())))
			.movePointLeft(6);
	}

	private static void assertBilled(Tracked tracked, List<UsageMetadata> sent) {
		List<TokenUsage> perRound = sent.stream().map(GeminiUsageTests::billed).toList();
		TokenUsage total = perRound.stream().reduce(TokenUsage.ZERO, TokenUsage::plus);
		assertThat(tracked.runUsages()).as("LlmEndEvent.usage() per round").isEqualTo(perRound);
		assertThat(tracked.runModels()).containsOnly(MODEL);
		assertThat(tracked.usage().usage()).isEqualTo(total);
		assertThat(tracked.usage().totalTokens()).isEqualTo(sent.stream().mapToLong(UsageMetadata::total).sum());
		assertThat(tracked.usage().byModel()).containsExactly(entry(MODEL, total));
		assertThat(tracked.usage().successfulRequests()).isEqualTo(sent.size());
		assertThat(tracked.usage().unpricedModels()).isEmpty();
		BigDecimal cost = sent.stream().map(GeminiUsageTests::charged).reduce(BigDecimal.ZERO, BigDecimal::add);
		assertThat(tracked.usage().totalCost()).isEqualByComparingTo(cost);
	}

	static class WeatherTools {

		@Tool(description = "Get the current weather in a city")
		String currentWeather(String city) {
			return "Sunny, 24°C in " + city;
		}

	}

}
