package dev.callbacks.ai.usage;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.anthropic.core.JsonValue;
import com.anthropic.models.messages.CacheCreation;
import com.anthropic.models.messages.MessageDeltaUsage;
import com.anthropic.models.messages.OutputTokensDetails;
import dev.callbacks.ai.Usages;
import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.ai.anthropic.AnthropicCacheOptions;
import org.springframework.ai.anthropic.AnthropicCacheStrategy;
import org.springframework.ai.anthropic.AnthropicCacheTtl;
import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.MessageType;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.metadata.EmptyUsage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The readers of providers whose native usage objects the wire-format tests do not reach
 * (Bedrock, DeepSeek, Mistral: Spring AI 2.0.1 does not publish those modules to Maven
 * Central) or whose edge cases a server cannot easily produce. The native objects are
 * built here in the shape Spring AI 2.0.1 gives them.
 */
class ProviderReadersTests {

	@Test
	void anthropicMessageUsageSumsInputAndSplitsWritesByTtl() {
		com.anthropic.models.messages.Usage message = anthropicUsage(29, 1800, 300, 600, 140, 100L);

		TokenUsage usage = AnthropicUsage.read(new DefaultUsage(29, 140, 169, message), message, false);

		assertThat(usage).isEqualTo(new TokenUsage(2729, 140, 2869, 1800, 900, 600, 100, false));
	}

	@Test
	void anthropicDeltaUsageTakesCumulativeInputOverMessageStartAndTheTtlFromTheRequest() {
		// With server tools input_tokens grows past message_start's (Spring AI's prompt).
		MessageDeltaUsage delta = MessageDeltaUsage.builder()
			.inputTokens(45L)
			.cacheReadInputTokens(1800L)
			.cacheCreationInputTokens(1200L)
			.outputTokens(30)
			.outputTokensDetails(Optional.empty())
			.serverToolUse(Optional.empty())
			.build();
		Usage springAi = new DefaultUsage(29, 30, 59, delta, 1800L, 1200L);

		assertThat(AnthropicUsage.read(springAi, delta, true))
			.isEqualTo(new TokenUsage(3045, 30, 3075, 1800, 1200, 1200, 0, false));
		assertThat(AnthropicUsage.read(springAi, delta, false))
			.isEqualTo(new TokenUsage(3045, 30, 3075, 1800, 1200, 0, 0, false));
	}

	@Test
	void anthropicDeltaUsageWithACacheCreationSplitUsesIt() {
		MessageDeltaUsage delta = MessageDeltaUsage.builder()
			.inputTokens(30L)
			.cacheReadInputTokens(0L)
			.cacheCreationInputTokens(1200L)
			.outputTokens(9)
			.outputTokensDetails(Optional.empty())
			.serverToolUse(Optional.empty())
			.putAdditionalProperty("cache_creation",
					JsonValue.from(Map.of("ephemeral_5m_input_tokens", 800, "ephemeral_1h_input_tokens", 400)))
			.build();

		assertThat(AnthropicUsage.read(new DefaultUsage(30, 9, 39, delta), delta, true))
			.isEqualTo(new TokenUsage(1230, 9, 1239, 0, 1200, 400, 0, false));
	}

	@Test
	void anthropicDeltaUsageWithoutInputTokensFallsBackToMessageStart() {
		MessageDeltaUsage delta = MessageDeltaUsage.builder()
			.inputTokens(Optional.empty())
			.cacheReadInputTokens(Optional.empty())
			.cacheCreationInputTokens(Optional.empty())
			.outputTokens(15)
			.outputTokensDetails(Optional.empty())
			.serverToolUse(Optional.empty())
			.build();

		assertThat(AnthropicUsage.read(new DefaultUsage(25, 15, 40, delta), delta, false))
			.isEqualTo(TokenUsage.of(25, 15));
	}

	@Test
	void writesAreOneHourOnlyWhenEveryBreakpointOfTheStrategyIs() {
		assertThat(AnthropicRequestTtl.writesAreOneHour(
				anthropic(AnthropicCacheStrategy.SYSTEM_ONLY, Map.of(MessageType.SYSTEM, AnthropicCacheTtl.ONE_HOUR))))
			.isTrue();
		// Tool definitions take the system message's time to live.
		assertThat(AnthropicRequestTtl.writesAreOneHour(
				anthropic(AnthropicCacheStrategy.TOOLS_ONLY, Map.of(MessageType.SYSTEM, AnthropicCacheTtl.ONE_HOUR))))
			.isTrue();
		assertThat(AnthropicRequestTtl.writesAreOneHour(anthropic(AnthropicCacheStrategy.CONVERSATION_HISTORY,
				Map.of(MessageType.SYSTEM, AnthropicCacheTtl.ONE_HOUR))))
			.as("user messages keep the five-minute default")
			.isFalse();
		assertThat(AnthropicRequestTtl.writesAreOneHour(anthropic(AnthropicCacheStrategy.CONVERSATION_HISTORY,
				Map.of(MessageType.SYSTEM, AnthropicCacheTtl.ONE_HOUR, MessageType.USER, AnthropicCacheTtl.ONE_HOUR,
						MessageType.ASSISTANT, AnthropicCacheTtl.ONE_HOUR, MessageType.TOOL,
						AnthropicCacheTtl.ONE_HOUR))))
			.isTrue();
		assertThat(AnthropicRequestTtl.writesAreOneHour(
				anthropic(AnthropicCacheStrategy.NONE, Map.of(MessageType.SYSTEM, AnthropicCacheTtl.ONE_HOUR))))
			.isFalse();
		assertThat(AnthropicRequestTtl.writesAreOneHour(AnthropicChatOptions.builder().build())).isFalse();
		assertThat(AnthropicRequestTtl.writesAreOneHour(ChatOptions.builder().build())).isFalse();
	}

	@Test
	void bedrockInputExcludesCacheReadsAndWrites() {
		// Spring AI 2.0.1's BedrockProxyChatModel: prompt = inputTokens, cache counts as
		// Usage's cache getters, the AWS TokenUsage as native usage.
		Usage usage = new DefaultUsage(100, 20, 120, new Object(), 500L, 300L);

		assertThat(BedrockConverseUsage.read(usage)).isEqualTo(new TokenUsage(900, 20, 920, 500, 300, 0, 0, false));
	}

	@Test
	void deepSeekCachedTokensAreReadFromTheNativeRecord() {
		// The shape of Spring AI 2.0.1's DeepSeekApi.Usage: prompt_tokens includes the
		// cache hits, which only prompt_tokens_details.cached_tokens reports.
		DeepSeekShapedUsage deepSeek = new DeepSeekShapedUsage(40, 1100, 1140, new PromptTokensDetails(1024));
		Usage usage = new DefaultUsage(1100, 40, 1140, deepSeek);

		assertThat(ProviderUsage.read(response(usage, Map.of()), null))
			.isEqualTo(new TokenUsage(1100, 40, 1140, 1024, 0, 0, 0, false));
	}

	@Test
	void openAiShapedRecordsAndMapsGiveCachedAndReasoningTokens() {
		OpenAiShapedUsage record = new OpenAiShapedUsage(200, 50, 64L, new CompletionTokensDetails(20));
		assertThat(OpenAiCompatibleUsage.read(new DefaultUsage(200, 50, 250, record), record, "test"))
			.isEqualTo(new TokenUsage(200, 50, 250, 64, 0, 0, 20, false));

		Map<String, Object> map = Map.of("prompt_tokens", 200, "completion_tokens", 50, "prompt_tokens_details",
				Map.of("cached_tokens", 64), "completion_tokens_details", Map.of("reasoning_tokens", 20));
		assertThat(OpenAiCompatibleUsage.read(new DefaultUsage(200, 50, 250, map), map, "test"))
			.isEqualTo(new TokenUsage(200, 50, 250, 64, 0, 0, 20, false));

		Map<String, Object> deepSeekWire = Map.of("prompt_cache_hit_tokens", 128, "prompt_cache_miss_tokens", 72);
		assertThat(OpenAiCompatibleUsage.read(new DefaultUsage(200, 50, 250, deepSeekWire), deepSeekWire, "test"))
			.isEqualTo(new TokenUsage(200, 50, 250, 128, 0, 0, 0, false));

		// Mistral AI's record: prompt, total, completion only.
		MistralShapedUsage mistral = new MistralShapedUsage(30, 42, 12);
		assertThat(OpenAiCompatibleUsage.read(new DefaultUsage(30, 12, 42, mistral), mistral, "test"))
			.isEqualTo(TokenUsage.of(30, 12));
	}

	@Test
	void springAiModulesAreNamedAsSpringAiNamesTheirProviders() {
		assertThat(OpenAiCompatibleUsage.provider("org.springframework.ai.deepseek.api.DeepSeekApi$Usage", "x"))
			.isEqualTo("deepseek");
		assertThat(OpenAiCompatibleUsage.provider("org.springframework.ai.mistralai.api.MistralAiApi$Usage", "x"))
			.isEqualTo("mistral_ai");
		assertThat(OpenAiCompatibleUsage.provider("com.example.MyUsage", "ollama")).isEqualTo("ollama");
	}

	@Test
	void responsesWithoutUsageReportNothingAndOllamaIsRecognisedByItsMetadata() {
		assertThat(Usages.from(null)).isNull();
		assertThat(Usages.from(response(new EmptyUsage(), Map.of()))).isNull();
		assertThat(Usages.from(response(new DefaultUsage(0, 0, 0), Map.of()))).isNull();
		assertThat(Usages.from(response(new DefaultUsage(26, 12), Map.of("eval-count", 12))))
			.isEqualTo(TokenUsage.of(26, 12));

		long before = UsageAnomalies.count("ollama", UsageAnomalies.Kind.NEGATIVE_COUNT);
		assertThat(Usages.from(response(new DefaultUsage(26, -3), Map.of("eval-count", -3)))).isNull();
		assertThat(UsageAnomalies.count("ollama", UsageAnomalies.Kind.NEGATIVE_COUNT)).isEqualTo(before + 1);
	}

	@Test
	void anInputOfCacheReadsOnlyIsAReport() {
		// Bedrock: no new input token, everything read from the cache.
		Usage usage = new DefaultUsage(0, 0, 0, new Object(), 100L, null);

		assertThat(BedrockConverseUsage.read(usage)).isEqualTo(new TokenUsage(100, 0, 100, 100, 0, 0, 0, false));
	}

	private static ChatOptions anthropic(AnthropicCacheStrategy strategy, Map<MessageType, AnthropicCacheTtl> ttl) {
		return AnthropicChatOptions.builder()
			.cacheOptions(AnthropicCacheOptions.builder().strategy(strategy).messageTypeTtl(ttl).build())
			.build();
	}

	private static com.anthropic.models.messages.Usage anthropicUsage(long input, long read, long write5m, long write1h,
			long output, @Nullable Long thinking) {
		return com.anthropic.models.messages.Usage.builder()
			.inputTokens(input)
			.cacheReadInputTokens(read)
			.cacheCreationInputTokens(write5m + write1h)
			.cacheCreation(
					CacheCreation.builder().ephemeral5mInputTokens(write5m).ephemeral1hInputTokens(write1h).build())
			.outputTokens(output)
			.outputTokensDetails((thinking != null)
					? Optional.of(OutputTokensDetails.builder().thinkingTokens(thinking).build()) : Optional.empty())
			.inferenceGeo(Optional.empty())
			.serverToolUse(Optional.empty())
			.serviceTier(Optional.empty())
			.build();
	}

	private static ChatResponse response(Usage usage, Map<String, Object> keyValues) {
		ChatResponseMetadata.Builder metadata = ChatResponseMetadata.builder().model("m").usage(usage);
		keyValues.forEach(metadata::keyValue);
		return new ChatResponse(List.of(new Generation(new AssistantMessage("hi"))), metadata.build());
	}

	record PromptTokensDetails(Integer cachedTokens) {
	}

	record DeepSeekShapedUsage(Integer completionTokens, Integer promptTokens, Integer totalTokens,
			@Nullable PromptTokensDetails promptTokensDetails) {
	}

	record CompletionTokensDetails(Integer reasoningTokens) {
	}

	record OpenAiShapedUsage(Integer promptTokens, Integer completionTokens, Long promptCacheHitTokens,
			CompletionTokensDetails completionTokensDetails) {
	}

	record MistralShapedUsage(Integer promptTokens, Integer totalTokens, Integer completionTokens) {
	}

}
