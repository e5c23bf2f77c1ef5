package dev.callbacks.demo.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.callbacks.demo.catalog.Flower;
import dev.callbacks.demo.catalog.FlowerCatalog;
import dev.callbacks.demo.catalog.FlowerTools;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.AssistantMessage.ToolCall;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage.ToolResponse;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.support.ToolCallbacks;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link FlowerCatalogChatModel}.
 */
class FlowerCatalogChatModelTests {

	// Counted independently of the model, straight from JTokkit.
	private static final Encoding O200K = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

	private final FlowerCatalog catalog = FlowerCatalog.load();

	private final FlowerCatalogChatModel model = new FlowerCatalogChatModel(this.catalog, Duration.ZERO);

	@Test
	void namesThreeFlowersForABirthdayInUnderFiftyWords() {
		ChatResponse response = this.model
			.call(new Prompt("Which flowers suit a birthday? Name three, under 50 words"));

		String answer = text(response);
		List<Flower> named = this.catalog.mentionedFlowers(answer);
		assertThat(named).hasSize(3).allSatisfy((flower) -> assertThat(flower.suits("birthday")).isTrue());
		assertThat(answer.split("\\s+")).hasSizeLessThan(50);
		assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("STOP");
		assertThat(response.getMetadata().getModel()).isEqualTo("flower-catalog-1");
	}

	@Test
	void remembersWhyTheCustomerCameFromTheHistoryInThePrompt() {
		List<Message> history = new ArrayList<>();
		List<String> answers = new ArrayList<>();
		for (String question : List.of("My sister's birthday is tomorrow and I need a birthday bouquet.",
				"She likes pink roses, the colour is pink.", "I'm back \u2014 do you remember why I came yesterday?")) {
			history.add(new UserMessage(question));
			ChatResponse response = this.model.call(new Prompt(List.copyOf(history)));
			assertThat(response.getMetadata().getUsage().getPromptTokens()).isEqualTo(promptTokens(history));
			answers.add(text(response));
			history.add(response.getResult().getOutput());
		}

		assertThat(answers.get(0)).contains("your sister's birthday").contains("roses");
		assertThat(answers.get(1)).contains("Pink roses are a lovely choice for your sister's birthday");
		assertThat(answers.get(2)).contains("birthday bouquet for your sister").contains("she likes pink roses");
	}

	@Test
	void remembersThroughChatClientWithAChatMemoryAdvisor() {
		ChatMemory memory = MessageWindowChatMemory.builder().build();
		ChatClient client = ChatClient.builder(this.model)
			.defaultAdvisors(MessageChatMemoryAdvisor.builder(memory).build())
			.defaultAdvisors((advisors) -> advisors.param(ChatMemory.CONVERSATION_ID, "customer-1"))
			.defaultTools(new FlowerTools(this.catalog))
			.build();

		client.prompt().user("My sister's birthday is tomorrow and I need a birthday bouquet.").call().content();
		client.prompt().user("She likes pink roses, the colour is pink.").call().content();
		String answer = client.prompt().user("I'm back \u2014 do you remember why I came yesterday?").call().content();
		String price = client.prompt().user("How much would a dozen cost?").call().content();

		assertThat(answer).contains("birthday bouquet for your sister").contains("she likes pink roses");
		assertThat(price).isEqualTo("12 pink roses come to $42.00 ($3.50 a stem).");
	}

	@Test
	void cannotRememberWithoutHistory() {
		String answer = text(this.model.call(new Prompt("Do you remember why I came yesterday?")));

		assertThat(answer).contains("can't remember").doesNotContain("sister");
	}

	@Test
	void readsMemoryRenderedIntoTheSystemPrompt() {
		// The shape of a LangChain ConversationBufferMemory prompt.
		SystemMessage system = new SystemMessage("""
				The following is a friendly conversation between a human and an AI.
				Current conversation:
				Human: My sister's birthday is tomorrow and I need a birthday bouquet.
				AI: What a happy occasion!
				Human: She likes pink roses, the colour is pink.
				AI: Pink roses are a lovely choice.""");

		String answer = text(
				this.model.call(new Prompt(List.of(system, new UserMessage("Do you remember why I came?")))));

		assertThat(answer).contains("birthday bouquet for your sister").contains("pink roses");
	}

	@Test
	void streamsOneChunkPerTokenThenUsage() {
		Prompt prompt = new Prompt(
				List.of(new UserMessage("My sister's birthday is tomorrow and I need a birthday bouquet."),
						new AssistantMessage("Does she have a favourite colour?"),
						new UserMessage("She likes pink roses, the colour is pink.")));
		ChatResponse called = this.model.call(prompt);

		List<ChatResponse> chunks = this.model.stream(prompt).collectList().block();

		assertThat(chunks).isNotNull();
		List<ChatResponse> content = chunks.subList(0, chunks.size() - 1);
		String streamed = content.stream().map(FlowerCatalogChatModelTests::text).collect(Collectors.joining());
		assertThat(streamed).isEqualTo(text(called));
		assertThat(content).hasSize(O200K.countTokensOrdinary(streamed));
		assertThat(content.subList(0, content.size() - 1))
			.allSatisfy((chunk) -> assertThat(chunk.getResult().getMetadata().getFinishReason()).isNull());
		assertThat(content.get(content.size() - 1).getResult().getMetadata().getFinishReason()).isEqualTo("STOP");
		ChatResponse last = chunks.get(chunks.size() - 1);
		assertThat(last.getResults()).isEmpty();
		assertThat(last.getMetadata().getUsage()).isEqualTo(called.getMetadata().getUsage());
		assertThat(last.getMetadata().getModel()).isEqualTo("flower-catalog-1");
	}

	@Test
	void reportsUsageCountedWithO200kBase() {
		List<Message> messages = List.of(new SystemMessage("You are the flower shop's customer service."),
				new UserMessage("Which flowers suit a birthday? Name three, under 50 words"));

		ChatResponse response = this.model.call(new Prompt(messages));

		Usage usage = response.getMetadata().getUsage();
		int completion = O200K.countTokensOrdinary(text(response));
		assertThat(usage.getPromptTokens()).isEqualTo(promptTokens(messages));
		assertThat(usage.getCompletionTokens()).isEqualTo(completion);
		assertThat(usage.getTotalTokens()).isEqualTo(promptTokens(messages) + completion);
		// 3 priming + (3 + text) per message, as OpenAI counts a chat prompt.
		assertThat(usage.getPromptTokens()).isEqualTo(3 + (3 + O200K.countTokensOrdinary(messages.get(0).getText()))
				+ (3 + O200K.countTokensOrdinary(messages.get(1).getText())));
	}

	@Test
	void callsAToolWhenOfferedOne() {
		ToolCallingChatOptions options = ToolCallingChatOptions.builder()
			.toolCallbacks(ToolCallbacks.from(new FlowerTools(this.catalog)))
			.build();

		ChatResponse response = this.model.call(new Prompt("How much would a dozen pink roses cost?", options));

		assertThat(response.hasToolCalls()).isTrue();
		assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("TOOL_CALLS");
		ToolCall call = response.getResult().getOutput().getToolCalls().get(0);
		assertThat(call.id()).startsWith("call_");
		assertThat(call.type()).isEqualTo("function");
		assertThat(call.name()).isEqualTo(FlowerTools.QUOTE_PRICE);
		assertThat(call.arguments()).isEqualTo("{\"flower\":\"rose\",\"stems\":12}");
		assertThat(response.getMetadata().getUsage().getCompletionTokens())
			.isEqualTo(O200K.countTokensOrdinary(call.name()) + O200K.countTokensOrdinary(call.arguments()));
	}

	@Test
	void answersFromTheCatalogueWithoutTools() {
		ChatResponse response = this.model.call(new Prompt("Do you have roses in stock?"));

		assertThat(response.hasToolCalls()).isFalse();
		assertThat(text(response)).contains("120 roses");
	}

	@Test
	void answersFromToolResults() {
		List<Message> messages = List.of(new UserMessage("Are freesias available?"),
				AssistantMessage.builder()
					.toolCalls(List.of(new ToolCall("call_7", "function", "checkStock", "{\"flower\":\"freesia\"}")))
					.build(),
				ToolResponseMessage.builder()
					.responses(List.of(new ToolResponse("call_7", "checkStock",
							"{\"flower\":\"Freesia\",\"known\":true,\"stemsInStock\":0}")))
					.build());

		ChatResponse response = this.model.call(new Prompt(messages));

		assertThat(response.hasToolCalls()).isFalse();
		assertThat(text(response)).contains("freesias are sold out");
		// The tool round's payloads are part of the prompt, as a real model is billed for
		// them.
		int expected = 3 + (3 + O200K.countTokensOrdinary("Are freesias available?"))
				+ (3 + O200K.countTokensOrdinary("checkStock") + O200K.countTokensOrdinary("{\"flower\":\"freesia\"}"))
				+ (3 + O200K.countTokensOrdinary("{\"flower\":\"Freesia\",\"known\":true,\"stemsInStock\":0}"));
		assertThat(response.getMetadata().getUsage().getPromptTokens()).isEqualTo(expected);
	}

	@Test
	void doesAToolRoundThroughChatClient() {
		RecordingChatModel recording = new RecordingChatModel(this.model);

		ChatResponse response = ChatClient.create(recording)
			.prompt()
			.user("Do you have roses in stock?")
			.tools(new FlowerTools(this.catalog))
			.call()
			.chatResponse();

		assertThat(recording.prompts).hasSize(2);
		assertThat(recording.responses.get(0).hasToolCalls()).isTrue();
		List<Message> second = recording.prompts.get(1).getInstructions();
		assertThat(second.get(second.size() - 1)).isInstanceOf(ToolResponseMessage.class);
		assertThat(response).isNotNull();
		assertThat(text(response)).contains("120");
		// ChatClient adds up the usage of both rounds; each round is an o200k_base count.
		int expected = 0;
		for (int i = 0; i < 2; i++) {
			Usage round = recording.responses.get(i).getMetadata().getUsage();
			assertThat(round.getPromptTokens()).isEqualTo(promptTokens(recording.prompts.get(i).getInstructions()));
			expected += round.getTotalTokens();
		}
		assertThat(response.getMetadata().getUsage().getTotalTokens()).isEqualTo(expected);
	}

	@Test
	void streamsAToolRoundThroughChatClient() {
		RecordingChatModel recording = new RecordingChatModel(this.model);

		List<String> tokens = ChatClient.create(recording)
			.prompt()
			.user("How many tulips do you have?")
			.tools(new FlowerTools(this.catalog))
			.stream()
			.content()
			.collectList()
			.block();

		assertThat(recording.prompts).hasSize(2);
		assertThat(tokens).hasSizeGreaterThan(1);
		assertThat(String.join("", tokens)).isEqualTo("Good news: we have 200 tulips in stock.");
	}

	@Test
	void streamsAToolCallAsOneChunkThenUsage() {
		ToolCallingChatOptions options = ToolCallingChatOptions.builder()
			.toolCallbacks(ToolCallbacks.from(new FlowerTools(this.catalog)))
			.build();

		List<ChatResponse> chunks = this.model.stream(new Prompt("Do you have lilies in stock?", options))
			.collectList()
			.block();

		assertThat(chunks).hasSize(2);
		assertThat(chunks.get(0).hasToolCalls()).isTrue();
		assertThat(chunks.get(0).getResult().getMetadata().getFinishReason()).isEqualTo("TOOL_CALLS");
		assertThat(chunks.get(1).getResults()).isEmpty();
		assertThat(chunks.get(1).getMetadata().getUsage().getTotalTokens()).isPositive();
	}

	@Test
	void delaysStreamedTokens() {
		assertThat(new FlowerCatalogChatModel(this.catalog).getTokenDelay()).isEqualTo(Duration.ofMillis(20));
		FlowerCatalogChatModel slow = new FlowerCatalogChatModel(this.catalog, Duration.ofMillis(5));
		Prompt prompt = new Prompt("Hello");
		int tokens = O200K.countTokensOrdinary(text(slow.call(prompt)));

		long start = System.nanoTime();
		slow.stream(prompt).blockLast();

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(5L * tokens));
	}

	@Test
	void offersToolCallingOptions() {
		assertThat(this.model.getOptions()).isInstanceOf(ToolCallingChatOptions.class);
		assertThat(this.model.getOptions().getModel()).isEqualTo("flower-catalog-1");
	}

	private static int promptTokens(List<Message> messages) {
		int tokens = 3;
		for (Message message : messages) {
			tokens += 3 + O200K.countTokensOrdinary(message.getText());
			if (message instanceof AssistantMessage assistant) {
				for (ToolCall call : assistant.getToolCalls()) {
					tokens += O200K.countTokensOrdinary(call.name()) + O200K.countTokensOrdinary(call.arguments());
				}
			}
			if (message instanceof ToolResponseMessage toolResponse) {
				for (ToolResponse response : toolResponse.getResponses()) {
					tokens += O200K.countTokensOrdinary(response.responseData());
				}
			}
		}
		return tokens;
	}

	private static String text(ChatResponse response) {
		Generation generation = response.getResult();
		return (generation != null && generation.getOutput().getText() != null) ? generation.getOutput().getText() : "";
	}

	/** Counts the model calls a ChatClient makes. */
	private static final class RecordingChatModel implements ChatModel {

		private final ChatModel delegate;

		private final List<Prompt> prompts = new CopyOnWriteArrayList<>();

		private final List<ChatResponse> responses = new CopyOnWriteArrayList<>();

		RecordingChatModel(ChatModel delegate) {
			this.delegate = delegate;
		}

		@Override
		public ChatResponse call(Prompt prompt) {
			this.prompts.add(prompt);
			ChatResponse response = this.delegate.call(prompt);
			this.responses.add(response);
			return response;
		}

		@Override
		public Flux<ChatResponse> stream(Prompt prompt) {
			this.prompts.add(prompt);
			return this.delegate.stream(prompt);
		}

		@Override
		public ChatOptions getOptions() {
			return this.delegate.getOptions();
		}

	}

}
