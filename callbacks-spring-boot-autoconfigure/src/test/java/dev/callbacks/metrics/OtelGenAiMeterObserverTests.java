package dev.callbacks.metrics;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.callbacks.LlmRunRecord;
import dev.callbacks.LlmRunRecord.Outcome;
import dev.callbacks.event.RunIdentity;
import dev.callbacks.usage.ModelPrices;
import dev.callbacks.usage.TokenUsage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The attributes of the GenAI instruments for runs the chats cannot easily produce. */
class OtelGenAiMeterObserverTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@Test
	void providersAreNamedAsTheConventionsNameThem() {
		OtelGenAiMeterObserver observer = new OtelGenAiMeterObserver(this.registry, ModelTags.defaults(), true);

		observer.onLlmRun(run("google_genai", "gemini-2.5-flash", TokenUsage.of(10, 2), Outcome.SUCCESS));
		observer.onLlmRun(run("bedrock_converse", "anthropic.claude-3-haiku", TokenUsage.of(10, 2), Outcome.SUCCESS));
		observer.onLlmRun(run("ollama", "llama3", TokenUsage.of(10, 2), Outcome.SUCCESS));

		assertThat(this.registry.find(GenAiMeters.OPERATION_DURATION).summaries())
			.extracting(s -> s.getId().getTag(GenAiMeters.ATTR_PROVIDER_NAME))
			.containsExactlyInAnyOrder("gcp.gen_ai", "aws.bedrock", "ollama");
	}

	@Test
	void aRejectedRoundIsAnErrorTypeWithNoTokens() {
		OtelGenAiMeterObserver observer = new OtelGenAiMeterObserver(this.registry, ModelTags.defaults(), true);

		observer.onLlmRun(run("openai", "gpt-4o-mini", TokenUsage.of(0, 0), Outcome.REJECTED));

		assertThat(this.registry.get(GenAiMeters.OPERATION_DURATION)
			.tag(GenAiMeters.ATTR_ERROR_TYPE, "rejected")
			.summary()
			.count()).isOne();
		assertThat(this.registry.find(GenAiMeters.TOKEN_USAGE).summaries())
			.allSatisfy(s -> assertThat(s.count()).isZero());
	}

	@Test
	void responseModelsAreBoundedLikeTheModelTag() {
		ModelTags modelTags = new ModelTags(ModelPrices.defaults().with(Map.of()), Set.of(), 1, 0);
		OtelGenAiMeterObserver observer = new OtelGenAiMeterObserver(this.registry, modelTags, true);

		observer.onLlmRun(run("openai", "shop-llm-1", TokenUsage.of(5, 1), Outcome.SUCCESS));
		observer.onLlmRun(run("openai", "shop-llm-2", TokenUsage.of(7, 1), Outcome.SUCCESS));

		assertThat(this.registry.get(GenAiMeters.TOKEN_USAGE)
			.tag(GenAiMeters.ATTR_RESPONSE_MODEL, "other")
			.tag(GenAiMeters.ATTR_TOKEN_TYPE, "input")
			.summary()
			.totalAmount()).isEqualTo(7);
	}

	private static LlmRunRecord run(String provider, String model, TokenUsage usage, Outcome outcome) {
		return new LlmRunRecord(UUID.randomUUID(), UUID.randomUUID(), Instant.now(), "chat_client", provider, model,
				usage, null, outcome, false, 2_000_000, -1, RunIdentity.of(Map.of()), List.of(), Map.of());
	}

}
