package dev.callbacks.demo.memory;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import dev.callbacks.demo.catalog.FlowerCatalog;
import dev.callbacks.demo.model.FlowerCatalogChatModel;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.memory.ChatMemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link SummaryMemoryAdvisor}, with the offline model.
 */
class SummaryMemoryAdvisorTests {

	private final FlowerCatalogChatModel model = new FlowerCatalogChatModel(FlowerCatalog.load(), Duration.ZERO);

	private final SummaryMemoryAdvisor advisor = new SummaryMemoryAdvisor(ChatClient.create(this.model));

	private final ChatClient client = ChatClient.builder(this.model).defaultAdvisors(this.advisor).build();

	@Test
	void remembersThroughTheSummaryWhenCalled() {
		List<String> answers = BirthdayConversation.TURNS.stream()
			.map((message) -> this.client.prompt()
				.user(message)
				.advisors((advisors) -> advisors.param(ChatMemory.CONVERSATION_ID, "called"))
				.call()
				.content())
			.toList();

		assertThat(answers.get(2)).contains("birthday bouquet for your sister").contains("she likes pink roses");
		assertThat(this.advisor.summary("called"))
			.hasValue("The customer needs a birthday bouquet for their sister, for tomorrow. She likes pink roses.");
		assertThat(this.advisor.summary("someone-else")).isEmpty();
	}

	@Test
	void remembersThroughTheSummaryWhenStreamed() {
		List<String> answers = BirthdayConversation.TURNS.stream()
			.map((message) -> this.client.prompt()
				.user(message)
				.advisors((advisors) -> advisors.param(ChatMemory.CONVERSATION_ID, "streamed"))
				.stream()
				.content()
				.collect(Collectors.joining())
				.block())
			.toList();

		assertThat(answers.get(2)).contains("birthday bouquet for your sister").contains("she likes pink roses");
		assertThat(this.advisor.summary("streamed"))
			.hasValueSatisfying((summary) -> assertThat(summary).endsWith("She likes pink roses."));
	}

	@Test
	void needsAConversationId() {
		assertThatIllegalStateException().isThrownBy(() -> this.client.prompt().user("Hello").call().content())
			.withMessageContaining(ChatMemory.CONVERSATION_ID);
	}

}
