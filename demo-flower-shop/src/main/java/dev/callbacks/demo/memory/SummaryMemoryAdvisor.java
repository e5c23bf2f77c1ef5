package dev.callbacks.demo.memory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.Advisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisor;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Summary memory, like LangChain's {@code ConversationSummaryMemory}: instead of earlier
 * messages the model gets a running summary of the conversation in its system prompt, and
 * after every exchange a second model call folds the exchange into the summary. The
 * summary stays short, but each turn costs an extra call; the memory report measures what
 * that trade is worth.
 * <p>
 * Needs {@link ChatMemory#CONVERSATION_ID} as an advisor parameter, like Spring AI's
 * memory advisors. The summary call goes through an ordinary {@link ChatClient}, so
 * callbacks and usage trackers see it as a run of its own.
 */
public final class SummaryMemoryAdvisor implements CallAdvisor, StreamAdvisor {

	/** What introduces the summary in the system prompt. */
	public static final String SUMMARY_HEADER = "Summary of the conversation so far:";

	private final ChatClient summariser;

	private final Map<String, String> summaries = new ConcurrentHashMap<>();

	/**
	 * Create the advisor.
	 * @param summariser the client that writes the summaries; best without tools or
	 * memory of its own
	 */
	public SummaryMemoryAdvisor(ChatClient summariser) {
		Assert.notNull(summariser, "summariser must not be null");
		this.summariser = summariser;
	}

	/** The summary of a conversation so far, if it has had a turn. */
	public Optional<String> summary(String conversationId) {
		return Optional.ofNullable(this.summaries.get(conversationId));
	}

	@Override
	public String getName() {
		return "SummaryMemoryAdvisor";
	}

	@Override
	public int getOrder() {
		return Advisor.DEFAULT_CHAT_MEMORY_PRECEDENCE_ORDER;
	}

	@Override
	public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
		String conversationId = conversationId(request);
		String question = question(request);
		ChatClientResponse response = chain.nextCall(withSummary(request, conversationId));
		String summary = this.summariser.prompt()
			.user(summariseRequest(conversationId, question, textOf(response.chatResponse())))
			.call()
			.content();
		remember(conversationId, summary);
		return response;
	}

	@Override
	public Flux<ChatClientResponse> adviseStream(ChatClientRequest request, StreamAdvisorChain chain) {
		return Flux.defer(() -> {
			String conversationId = conversationId(request);
			String question = question(request);
			StringBuilder answer = new StringBuilder();
			// Streamed too, so that no thread blocks; it runs before the stream
			// completes.
			Mono<ChatClientResponse> summarise = Mono.defer(() -> this.summariser.prompt()
				.user(summariseRequest(conversationId, question, answer.toString()))
				.stream()
				.content()
				.collect(Collectors.joining())
				.doOnNext((summary) -> remember(conversationId, summary))
				.then(Mono.empty()));
			return chain.nextStream(withSummary(request, conversationId)).doOnNext((response) -> {
				String text = textOf(response.chatResponse());
				answer.append(text);
			}).concatWith(summarise);
		});
	}

	private ChatClientRequest withSummary(ChatClientRequest request, String conversationId) {
		String summary = this.summaries.get(conversationId);
		if (summary == null) {
			return request;
		}
		return request.mutate()
			.prompt(request.prompt().augmentSystemMessage((system) -> withSummary(system, summary)))
			.build();
	}

	private static SystemMessage withSummary(SystemMessage system, String summary) {
		String text = system.getText();
		String block = SUMMARY_HEADER + "\n" + summary;
		return system.mutate().text(StringUtils.hasText(text) ? text + "\n\n" + block : block).build();
	}

	private String summariseRequest(String conversationId, String question, String answer) {
		return """
				Summarise the conversation between a customer and a flower shop's assistant. Start from the \
				current summary, add what the new lines say about what the customer wants, and answer with the \
				new summary only: one or two sentences about "the customer".

				Current summary:
				%s

				New lines of conversation:
				Customer: %s
				Assistant: %s

				New summary:""".formatted(summary(conversationId).orElse("(none)"), question, answer);
	}

	private void remember(String conversationId, @Nullable String summary) {
		if (StringUtils.hasText(summary)) {
			this.summaries.put(conversationId, summary.trim());
		}
	}

	private static String conversationId(ChatClientRequest request) {
		Object id = request.context().get(ChatMemory.CONVERSATION_ID);
		Assert.state(id != null,
				() -> "SummaryMemoryAdvisor needs the advisor parameter " + ChatMemory.CONVERSATION_ID);
		return id.toString();
	}

	private static String question(ChatClientRequest request) {
		String text = request.prompt().getUserMessage().getText();
		return (text != null) ? text : "";
	}

	private static String textOf(@Nullable ChatResponse response) {
		Generation generation = (response != null) ? response.getResult() : null;
		String text = (generation != null) ? generation.getOutput().getText() : null;
		return (text != null) ? text : "";
	}

}
