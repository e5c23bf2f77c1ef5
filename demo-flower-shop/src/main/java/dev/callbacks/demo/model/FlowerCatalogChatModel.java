package dev.callbacks.demo.model;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.callbacks.demo.catalog.FlowerCatalog;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.AssistantMessage.ToolCall;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.MessageType;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.DefaultToolCallingChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * A deterministic, offline {@link ChatModel} for the flower shop: answers customer
 * questions from a {@link FlowerCatalog} without an API key, and behaves like a real
 * provider where the rest of the application can tell the difference.
 * <ul>
 * <li>Recommends flowers for an occasion or a colour, explains meanings, and answers
 * memory questions ("do you remember why I came?") from the earlier user messages in the
 * prompt.</li>
 * <li>Keeps summary memory working: asked to "summarise" a conversation (a request with
 * "Current summary:" and "New lines of conversation:" with {@code Customer:} lines), it
 * answers with a one- or two-sentence summary about "the customer"; a system prompt with
 * "Summary of the conversation so far:" counts as what the customer said before.</li>
 * <li>Calls tools like a real model: when asked about stock or prices and the prompt's
 * {@link ToolCallingChatOptions} offer {@code checkStock} or {@code quotePrice}, it
 * replies with {@link ToolCall tool calls} (finish reason {@value #FINISH_TOOL_CALLS}),
 * and answers from the {@link ToolResponseMessage} that follows. Without those tools it
 * answers from the catalogue.</li>
 * <li>Streams one chunk per token, with a small delay, the finish reason on the last
 * content chunk, then a usage-only chunk, like OpenAI with {@code include_usage}.</li>
 * <li>Reports usage counted with JTokkit's {@code o200k_base}: prompt tokens are the
 * tokens of every message plus {@value #TOKENS_PER_MESSAGE} per message and
 * {@value #REPLY_PRIMING_TOKENS} for priming the reply, as OpenAI counts them; completion
 * tokens are the tokens of the answer (of each tool call's name and arguments for a tool
 * call).</li>
 * </ul>
 */
public class FlowerCatalogChatModel implements ChatModel {

	/** The model name reported in responses and default options. */
	public static final String MODEL = "flower-catalog-1";

	/** The default delay between streamed tokens. */
	public static final Duration DEFAULT_TOKEN_DELAY = Duration.ofMillis(20);

	/** The finish reason of a complete answer, as Spring AI's OpenAI model reports it. */
	public static final String FINISH_STOP = "STOP";

	/** The finish reason of a tool call, as Spring AI's OpenAI model reports it. */
	public static final String FINISH_TOOL_CALLS = "TOOL_CALLS";

	/** Tokens OpenAI's chat format wraps around every message. */
	public static final int TOKENS_PER_MESSAGE = 3;

	/** Tokens OpenAI's chat format adds to prime the reply. */
	public static final int REPLY_PRIMING_TOKENS = 3;

	private final ShopAssistant assistant;

	private final Duration tokenDelay;

	private final AtomicLong responseIds = new AtomicLong();

	private final AtomicLong toolCallIds = new AtomicLong();

	/**
	 * Create a model that streams with the {@link #DEFAULT_TOKEN_DELAY}.
	 * @param catalog the catalogue to answer from
	 */
	public FlowerCatalogChatModel(FlowerCatalog catalog) {
		this(catalog, DEFAULT_TOKEN_DELAY);
	}

	/**
	 * Create a model.
	 * @param catalog the catalogue to answer from
	 * @param tokenDelay the delay between streamed tokens, {@link Duration#ZERO} for none
	 */
	public FlowerCatalogChatModel(FlowerCatalog catalog, Duration tokenDelay) {
		Assert.notNull(catalog, "catalog must not be null");
		Assert.notNull(tokenDelay, "tokenDelay must not be null");
		Assert.isTrue(!tokenDelay.isNegative(), "tokenDelay must not be negative");
		this.assistant = new ShopAssistant(catalog, () -> "call_" + this.toolCallIds.incrementAndGet());
		this.tokenDelay = tokenDelay;
	}

	/** The delay between streamed tokens. */
	public Duration getTokenDelay() {
		return this.tokenDelay;
	}

	@Override
	public ChatResponse call(Prompt prompt) {
		Turn turn = turn(prompt);
		String finishReason = turn.reply().hasToolCalls() ? FINISH_TOOL_CALLS : FINISH_STOP;
		return response(turn, turn.reply().text(), turn.reply().toolCalls(), finishReason, turn.usage());
	}

	@Override
	public Flux<ChatResponse> stream(Prompt prompt) {
		// Deferred: each subscription is its own request, answered when it subscribes.
		return Flux.defer(() -> {
			Turn turn = turn(prompt);
			ChatResponse usageOnly = new ChatResponse(List.of(), metadata(turn, turn.usage()));
			if (turn.reply().hasToolCalls()) {
				return Flux.just(response(turn, "", turn.reply().toolCalls(), FINISH_TOOL_CALLS, null), usageOnly);
			}
			List<String> pieces = Tokenizer.split(turn.reply().text());
			List<String> tokens = pieces.isEmpty() ? List.of("") : pieces;
			int last = tokens.size() - 1;
			Flux<ChatResponse> chunks = Flux.range(0, tokens.size())
				.map((i) -> response(turn, tokens.get(i), List.of(), (i == last) ? FINISH_STOP : null, null));
			if (!this.tokenDelay.isZero()) {
				chunks = chunks.delayElements(this.tokenDelay);
			}
			return chunks.concatWith(Mono.just(usageOnly));
		});
	}

	/**
	 * Tool calling options with {@link #MODEL}, so {@code ChatClient} merges the tools of
	 * a request into them.
	 */
	@Override
	public ToolCallingChatOptions getOptions() {
		return DefaultToolCallingChatOptions.builder().model(MODEL).build();
	}

	private Turn turn(Prompt prompt) {
		Assert.notNull(prompt, "prompt must not be null");
		List<Message> messages = prompt.getInstructions();
		Conversation conversation = Conversation.of(messages, this.assistant.catalog());
		Reply reply = this.assistant.reply(conversation, tools(prompt.getOptions()));
		String model = (prompt.getOptions() != null && StringUtils.hasText(prompt.getOptions().getModel()))
				? prompt.getOptions().getModel() : MODEL;
		return new Turn("flower-" + this.responseIds.incrementAndGet(), model, reply, usage(messages, reply));
	}

	private static Map<String, ToolDefinition> tools(@Nullable ChatOptions options) {
		Map<String, ToolDefinition> tools = new LinkedHashMap<>();
		if (options instanceof ToolCallingChatOptions toolOptions && toolOptions.getToolCallbacks() != null) {
			for (ToolCallback callback : toolOptions.getToolCallbacks()) {
				tools.putIfAbsent(callback.getToolDefinition().name(), callback.getToolDefinition());
			}
		}
		return tools;
	}

	private static Usage usage(List<Message> messages, Reply reply) {
		int prompt = REPLY_PRIMING_TOKENS;
		for (Message message : messages) {
			prompt += TOKENS_PER_MESSAGE + tokens(message);
		}
		int completion = reply.hasToolCalls() ? tokens(reply.toolCalls()) : Tokenizer.count(reply.text());
		return new DefaultUsage(prompt, completion, prompt + completion);
	}

	// A message's text, plus what a tool round adds: the calls' names and arguments, and
	// the results (whose message text is empty).
	private static int tokens(Message message) {
		int tokens = (message.getText() != null) ? Tokenizer.count(message.getText()) : 0;
		if (message instanceof AssistantMessage assistant) {
			tokens += tokens(assistant.getToolCalls());
		}
		if (message instanceof ToolResponseMessage toolResponse) {
			for (ToolResponseMessage.ToolResponse response : toolResponse.getResponses()) {
				tokens += Tokenizer.count(response.responseData());
			}
		}
		return tokens;
	}

	private static int tokens(List<ToolCall> toolCalls) {
		int tokens = 0;
		for (ToolCall toolCall : toolCalls) {
			tokens += Tokenizer.count(toolCall.name()) + Tokenizer.count(toolCall.arguments());
		}
		return tokens;
	}

	private static ChatResponse response(Turn turn, String text, List<ToolCall> toolCalls,
			@Nullable String finishReason, @Nullable Usage usage) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("id", turn.id());
		properties.put("role", MessageType.ASSISTANT.name());
		properties.put("index", 0);
		if (finishReason != null) {
			properties.put("finishReason", finishReason);
		}
		AssistantMessage message = AssistantMessage.builder()
			.content(text)
			.properties(properties)
			.toolCalls(toolCalls)
			.build();
		ChatGenerationMetadata generationMetadata = (finishReason != null)
				? ChatGenerationMetadata.builder().finishReason(finishReason).build() : ChatGenerationMetadata.NULL;
		return new ChatResponse(List.of(new Generation(message, generationMetadata)), metadata(turn, usage));
	}

	private static ChatResponseMetadata metadata(Turn turn, @Nullable Usage usage) {
		ChatResponseMetadata.Builder builder = ChatResponseMetadata.builder().id(turn.id()).model(turn.model());
		if (usage != null) {
			builder.usage(usage);
		}
		return builder.build();
	}

	@Override
	public String toString() {
		return "FlowerCatalogChatModel[" + MODEL + ", tokenDelay=" + this.tokenDelay + "]";
	}

	/**
	 * One request's answer, worked out once and then rendered as a response or a stream.
	 */
	private record Turn(String id, String model, Reply reply, Usage usage) {
	}

}
