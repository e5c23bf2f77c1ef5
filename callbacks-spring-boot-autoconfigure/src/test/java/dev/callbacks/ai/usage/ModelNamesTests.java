package dev.callbacks.ai.usage;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

import static org.assertj.core.api.Assertions.assertThat;

class ModelNamesTests {

	@Test
	void aNameRepeatedIsThatNameOnce() {
		assertThat(ModelNames.answering("qwen3:4b", "qwen3:4bqwen3:4b")).isEqualTo("qwen3:4b");
		assertThat(ModelNames.answering("qwen3:4b", "qwen3:4bqwen3:4bqwen3:4b")).isEqualTo("qwen3:4b");
		// An alias resolved by the server: the response's one name, as its other rounds
		// report it.
		assertThat(ModelNames.answering("qwen3", "qwen3:latestqwen3:latest")).isEqualTo("qwen3:latest");
		assertThat(ModelNames.answering("", "llama3.2llama3.2")).isEqualTo("llama3.2");
	}

	@Test
	void oneNameIsKeptAsReported() {
		assertThat(ModelNames.answering("gpt-4o-mini", "gpt-4o-mini-2024-07-18")).isEqualTo("gpt-4o-mini-2024-07-18");
		assertThat(ModelNames.answering("qwen3:4b", "qwen3:4b")).isEqualTo("qwen3:4b");
		assertThat(ModelNames.answering("gemini-2.5-flash", "gemini-2.5-flash")).isEqualTo("gemini-2.5-flash");
	}

	@Test
	void noReportedNameIsTheRequestedOne() {
		assertThat(ModelNames.answering("claude-sonnet-4-20250514", null)).isEqualTo("claude-sonnet-4-20250514");
		assertThat(ModelNames.answering("claude-sonnet-4-20250514", "")).isEqualTo("claude-sonnet-4-20250514");
	}

	@Test
	void aResponseIsCopiedOnlyWhenItsNameNeedsRepair() {
		DefaultUsage usage = new DefaultUsage(120, 22);
		ChatResponse merged = response("qwen3:4bqwen3:4b", usage);
		ChatResponse single = response("qwen3:4b", usage);

		ChatResponse repaired = ModelNames.withAnsweringModel(merged, "qwen3:4b");

		assertThat(ModelNames.withAnsweringModel(single, "qwen3:4b")).isSameAs(single);
		assertThat(repaired.getMetadata().getModel()).isEqualTo("qwen3:4b");
		assertThat(repaired.getMetadata().getId()).isEqualTo("id-1");
		assertThat(repaired.getMetadata().getUsage()).isSameAs(usage);
		assertThat((Object) repaired.getMetadata().get("eval-count")).isEqualTo(22);
		assertThat(repaired.getResults()).isEqualTo(merged.getResults());
	}

	private static ChatResponse response(String model, DefaultUsage usage) {
		return new ChatResponse(List.of(new Generation(new AssistantMessage("hi"))),
				ChatResponseMetadata.builder().id("id-1").model(model).usage(usage).keyValue("eval-count", 22).build());
	}

}
