package dev.callbacks.demo.web;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import dev.callbacks.Callbacks;
import dev.callbacks.UsageTracker;
import dev.callbacks.budget.BudgetExceededException;
import dev.callbacks.demo.usage.TokenCounts;
import dev.callbacks.demo.usage.UsageTotals;
import dev.callbacks.event.RunIdentity;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Chat with the shop, as one answer or streamed. Conversations are remembered (the last
 * messages of each) under their {@code conversationId}. Each answer comes with the usage
 * of its request, read from the request's {@link UsageTracker} that the starter opens and
 * passes in.
 */
@RestController
@RequestMapping("/api")
public class ChatController {

	private static final Logger logger = LoggerFactory.getLogger(ChatController.class);

	private static final int MAX_MESSAGE_LENGTH = 2000;

	private final ChatClient chatClient;

	private final MessageChatMemoryAdvisor memory;

	private final UsageTotals totals;

	private final ModelInfo modelInfo;

	public ChatController(@Qualifier("shopChatClient") ChatClient chatClient, ChatMemory chatMemory, UsageTotals totals,
			ChatModel chatModel) {
		this.chatClient = chatClient;
		this.memory = MessageChatMemoryAdvisor.builder(chatMemory).build();
		this.totals = totals;
		this.modelInfo = ModelInfo.of(chatModel);
	}

	/** Which model answers. */
	@GetMapping("/info")
	public ModelInfo info() {
		return this.modelInfo;
	}

	/**
	 * One answer: {@code {"message": "…", "conversationId": "…"}} in, the reply and this
	 * request's usage out. When the customer's budget has no room, the library's 429
	 * problem detail with {@code Retry-After}.
	 */
	@PostMapping("/chat")
	public Mono<ChatReply> chat(@RequestBody ChatRequest request, UsageTracker usage) {
		String message = checkMessage(request.message());
		String conversationId = conversationId(request.conversationId());
		// call() blocks, so not on the event loop. The request's tracker lives in the
		// Reactor context; automatic context propagation
		// (spring.reactor.context-propagation=auto) makes it current on the worker
		// thread.
		return Mono.fromCallable(() -> prompt(message, conversationId).call().chatResponse())
			.subscribeOn(Schedulers.boundedElastic())
			.map((response) -> new ChatReply(conversationId, text(response), model(response), TokenCounts.of(usage)));
	}

	/**
	 * The answer streamed as server-sent events: {@code token} events, then a
	 * {@code usage} event; a {@code budget} event when the customer's budget has no room
	 * (at the start or part-way through).
	 */
	@GetMapping(path = "/chat/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	public Flux<ServerSentEvent<Object>> stream(@RequestParam(required = false) @Nullable String message,
			@RequestParam(required = false) @Nullable String conversationId, UsageTracker usage) {
		String checked = checkMessage(message);
		String id = conversationId(conversationId);
		AtomicReference<String> model = new AtomicReference<>("");
		// A stream needs no thread of its own: the starter finds the request's tracker in
		// the Reactor context.
		Flux<ServerSentEvent<Object>> tokens = prompt(checked, id).stream().chatResponse().doOnNext((response) -> {
			String name = model(response);
			if (!name.isEmpty()) {
				model.set(name);
			}
		})
			.map(ChatController::text)
			.filter((text) -> !text.isEmpty())
			.map((text) -> event("token", new StreamEvents.Token(text)));
		// Deferred: read when the stream has ended, so it holds the final usage.
		Mono<ServerSentEvent<Object>> usageEvent = Mono.fromSupplier(() -> event("usage",
				new StreamEvents.Usage(id, model.get(), TokenCounts.of(usage), this.totals.snapshot())));
		return tokens.concatWith(usageEvent).onErrorResume((ex) -> {
			BudgetExceededException exceeded = budgetExceeded(ex);
			if (exceeded != null) {
				// The customer's budget ran out: expected, not a failure of the shop.
				logger.info("Streamed chat refused: {}", exceeded.detail());
				return Mono.just(event("budget", StreamEvents.BudgetExceeded.of(exceeded)));
			}
			logger.warn("Streamed chat failed", ex);
			return Mono.just(event("failure", new StreamEvents.Failure(String.valueOf(ex.getMessage()))));
		});
	}

	/** Everything since start-up, from the {@code llm.*} meters. */
	@GetMapping("/usage")
	public TokenCounts totals() {
		return this.totals.snapshot();
	}

	private ChatClient.ChatClientRequestSpec prompt(String message, String conversationId) {
		// The conversation id as run metadata too: the usage ledger records each LLM
		// call under it ("spend by customer" on the page).
		return this.chatClient.prompt()
			.user(message)
			.advisors(this.memory)
			.advisors((advisors) -> advisors.param(ChatMemory.CONVERSATION_ID, conversationId))
			.advisors(Callbacks.handlers().metadata(RunIdentity.CONVERSATION, conversationId));
	}

	private static @Nullable BudgetExceededException budgetExceeded(Throwable error) {
		// The engine may wrap it (as the library's problem-detail handler knows).
		Throwable current = error;
		for (int depth = 0; current != null && depth < 16; depth++) {
			if (current instanceof BudgetExceededException exceeded) {
				return exceeded;
			}
			current = current.getCause();
		}
		return null;
	}

	private static String checkMessage(@Nullable String message) {
		if (!StringUtils.hasText(message)) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "message must not be empty");
		}
		if (message.length() > MAX_MESSAGE_LENGTH) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"message must not be longer than " + MAX_MESSAGE_LENGTH + " characters");
		}
		return message.trim();
	}

	private static String conversationId(@Nullable String conversationId) {
		return StringUtils.hasText(conversationId) ? conversationId.trim() : UUID.randomUUID().toString();
	}

	private static ServerSentEvent<Object> event(String name, Object data) {
		return ServerSentEvent.builder(data).event(name).build();
	}

	static String text(@Nullable ChatResponse response) {
		Generation generation = (response != null) ? response.getResult() : null;
		String text = (generation != null) ? generation.getOutput().getText() : null;
		return (text != null) ? text : "";
	}

	static String model(@Nullable ChatResponse response) {
		String model = (response != null) ? response.getMetadata().getModel() : null;
		return (model != null) ? model : "";
	}

}
