package dev.callbacks.demo.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import dev.callbacks.UsageTracker;
import dev.callbacks.demo.FlowerShopProperties;
import dev.callbacks.demo.usage.TokenCounts;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.client.advisor.api.Advisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.InMemoryChatMemoryRepository;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * The lesson's three-turn conversation: a customer needs a birthday bouquet for their
 * sister, says she likes pink roses, and the next day asks whether the shop remembers why
 * they came. Each run starts a fresh memory, and each turn has a {@link UsageTracker} of
 * its own, so the tokens per turn are exactly what the model reported, the summary call
 * included.
 */
@Component
public class BirthdayConversation {

	/** What the customer says, turn by turn. */
	public static final List<String> TURNS = List.of("My sister's birthday is tomorrow and I need a birthday bouquet.",
			"She likes pink roses, the colour is pink.", "I'm back. Do you remember why I came yesterday?");

	private final ChatClient chatClient;

	private final ChatClient summaryClient;

	private final FlowerShopProperties properties;

	public BirthdayConversation(@Qualifier("shopChatClient") ChatClient chatClient,
			@Qualifier("summaryChatClient") ChatClient summaryClient, FlowerShopProperties properties) {
		this.chatClient = chatClient;
		this.summaryClient = summaryClient;
		this.properties = properties;
	}

	/**
	 * Run the conversation under a kind of memory. Blocking: call it where blocking is
	 * allowed, such as {@code Schedulers.boundedElastic()}.
	 */
	public ConversationReport run(MemoryKind kind) {
		String conversationId = kind.id() + "-" + UUID.randomUUID();
		Memory memory = memory(kind);
		List<TurnReport> turns = new ArrayList<>();
		TokenCounts total = TokenCounts.ZERO;
		for (int i = 0; i < TURNS.size(); i++) {
			String message = TURNS.get(i);
			// A tracker per turn: it counts every model call of the turn, wherever it
			// happens (the summary advisor's call included), and also counts in any
			// tracker already open, such as the request's.
			try (UsageTracker usage = UsageTracker.start()) {
				String reply = this.chatClient.prompt()
					.user(message)
					.advisors(memory.advisor())
					.advisors((advisors) -> advisors.param(ChatMemory.CONVERSATION_ID, conversationId))
					.call()
					.content();
				TokenCounts counts = TokenCounts.of(usage);
				turns.add(new TurnReport(i + 1, message, (reply != null) ? reply : "", counts,
						memory.contents().apply(conversationId)));
				total = total.plus(counts);
			}
		}
		return new ConversationReport(kind.id(), kind.description(), List.copyOf(turns), total);
	}

	private Memory memory(MemoryKind kind) {
		return switch (kind) {
			case BUFFER -> window(Integer.MAX_VALUE);
			case WINDOW -> window(this.properties.getWindowMessages());
			case SUMMARY -> {
				SummaryMemoryAdvisor advisor = new SummaryMemoryAdvisor(this.summaryClient);
				yield new Memory(advisor, (id) -> "Summary: " + advisor.summary(id).orElse("(none)"));
			}
		};
	}

	// Spring AI's message memory: a buffer is a window that never fills.
	private static Memory window(int maxMessages) {
		ChatMemory chatMemory = MessageWindowChatMemory.builder()
			.chatMemoryRepository(new InMemoryChatMemoryRepository())
			.maxMessages(maxMessages)
			.build();
		return new Memory(MessageChatMemoryAdvisor.builder(chatMemory).build(),
				(id) -> chatMemory.get(id).size() + " messages");
	}

	/** A fresh memory: its advisor, and what it holds for a conversation. */
	private record Memory(Advisor advisor, Function<String, String> contents) {
	}

}
