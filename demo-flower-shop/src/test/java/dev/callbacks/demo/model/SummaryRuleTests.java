package dev.callbacks.demo.model;

import java.time.Duration;
import java.util.List;

import dev.callbacks.demo.catalog.FlowerCatalog;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.prompt.Prompt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The offline model's rule for summary memory: it writes summaries when asked, and reads
 * them back from the system prompt.
 */
class SummaryRuleTests {

	private final FlowerCatalogChatModel model = new FlowerCatalogChatModel(FlowerCatalog.load(), Duration.ZERO);

	@Test
	void summarisesWhatTheCustomerWants() {
		String summary = answer("""
				Summarise the conversation, adding to the current summary.

				Current summary:
				(none)

				New lines of conversation:
				Customer: My sister's birthday is tomorrow and I need a birthday bouquet.
				Assistant: What a happy occasion! Does she have a favourite colour?

				New summary:""");

		assertThat(summary).isEqualTo("The customer needs a birthday bouquet for their sister, for tomorrow.");
	}

	@Test
	void addsToTheCurrentSummary() {
		String summary = answer("""
				Summarize the conversation.

				Current summary:
				The customer needs a birthday bouquet for their sister, for tomorrow.

				New lines of conversation:
				Customer: She likes pink roses, the colour is pink.
				Assistant: Pink roses are a lovely choice.

				New summary:""");

		assertThat(summary)
			.isEqualTo("The customer needs a birthday bouquet for their sister, for tomorrow. She likes pink roses.");
	}

	@Test
	void saysSoWhenThereIsNothingToSummarise() {
		String summary = answer("""
				Summarise the conversation.

				Current summary:
				(none)

				New lines of conversation:
				Customer: Hello!
				Assistant: Welcome to the flower shop!

				New summary:""");

		assertThat(summary).isEqualTo("The customer has not said yet what they are looking for.");
	}

	@Test
	void remembersFromASummaryInTheSystemPrompt() {
		SystemMessage system = new SystemMessage("""
				You are the customer service assistant of a flower shop.

				Summary of the conversation so far:
				The customer needs a birthday bouquet for their sister, for tomorrow. She likes pink roses.""");

		String answer = this.model
			.call(new Prompt(List.of(system, new UserMessage("I'm back. Do you remember why I came yesterday?"))))
			.getResult()
			.getOutput()
			.getText();

		assertThat(answer).isEqualTo("Of course! You came in for a birthday bouquet for your sister, and you told me "
				+ "she likes pink roses. Shall I put together a bouquet of pink roses for her?");
	}

	private String answer(String request) {
		return this.model.call(new Prompt(request)).getResult().getOutput().getText();
	}

}
