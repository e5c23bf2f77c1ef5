package dev.callbacks.demo.web;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import dev.callbacks.CallbackHandler;
import dev.callbacks.Callbacks;
import dev.callbacks.usage.ModelPrices;
import dev.callbacks.usage.TokenUsage;
import dev.callbacks.UsageTracker;
import dev.callbacks.demo.FlowerShopProperties;
import dev.callbacks.demo.memory.BirthdayConversation;
import dev.callbacks.demo.memory.ConversationReport;
import dev.callbacks.demo.memory.MemoryKind;
import dev.callbacks.demo.usage.TokenCounts;
import dev.callbacks.event.LlmEndEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The lesson's experiments: the three-turn conversation with chat memory (one kind, or
 * all three for the memory report) and concurrent requests counted by one tracker (the
 * lesson's {@code asyncio.gather}).
 */
@RestController
@RequestMapping("/api")
public class LessonController {

	/** What each concurrent request asks, as in the lesson. */
	public static final String CONCURRENT_QUESTION = "What colour flowers does my sister like?";

	private final BirthdayConversation conversation;

	private final ChatClient chatClient;

	private final FlowerShopProperties properties;

	private final ModelPrices prices;

	public LessonController(BirthdayConversation conversation, @Qualifier("shopChatClient") ChatClient chatClient,
			FlowerShopProperties properties, ModelPrices prices) {
		this.conversation = conversation;
		this.chatClient = chatClient;
		this.properties = properties;
		this.prices = prices;
	}

	/**
	 * The three turns under one kind of memory ({@code buffer}, {@code window},
	 * {@code summary}).
	 */
	@PostMapping("/conversation")
	public Mono<ConversationReport> conversation(@RequestParam(defaultValue = "buffer") String memory) {
		MemoryKind kind = memoryKind(memory);
		return blocking(() -> this.conversation.run(kind));
	}

	/** The three turns under every kind of memory, run side by side. */
	@GetMapping("/memory-report")
	public Mono<MemoryReport> memoryReport() {
		List<Mono<ConversationReport>> runs = Arrays.stream(MemoryKind.values())
			.map((kind) -> blocking(() -> this.conversation.run(kind)))
			.toList();
		// Subscribed all at once, emitted in order.
		return Flux.mergeSequential(runs)
			.collectList()
			.map((reports) -> new MemoryReport(BirthdayConversation.TURNS, this.properties.getWindowMessages(),
					reports));
	}

	/**
	 * {@code n} streamed requests at once, all inside one {@link UsageTracker}; each
	 * part's usage is added up from its own end events, so the tracker's total can be
	 * checked against their sum. The tracker counts into the request's tracker too (its
	 * parent), so the {@code LLM-Usage} header shows the same total.
	 */
	@PostMapping("/concurrent")
	public Mono<ConcurrentReport> concurrent(@RequestParam(defaultValue = "3") int n, UsageTracker requestUsage) {
		if (n < 1 || n > this.properties.getMaxConcurrent()) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"n must be between 1 and " + this.properties.getMaxConcurrent());
		}
		UsageTracker tracker = UsageTracker.detached(requestUsage);
		long start = System.nanoTime();
		return Flux.range(1, n)
			.flatMap(this::part, n)
			.collectSortedList(Comparator.comparingInt(ConcurrentReport.Part::number))
			// Every run subscribed below this point counts in the tracker.
			.contextWrite((context) -> context.put(UsageTracker.CONTEXT_KEY, tracker))
			.map((parts) -> new ConcurrentReport(CONCURRENT_QUESTION, parts, TokenCounts.of(tracker),
					(System.nanoTime() - start) / 1_000_000))
			.doFinally((signal) -> tracker.close());
	}

	private Mono<ConcurrentReport.Part> part(int number) {
		PartUsage usage = new PartUsage(this.prices);
		return this.chatClient.prompt()
			.user(CONCURRENT_QUESTION)
			// A request-level handler, for this part only (LangChain's request
			// callbacks).
			.advisors(Callbacks.handlers(usage).tags("concurrent"))
			.stream()
			.content()
			.collect(Collectors.joining())
			.map((answer) -> new ConcurrentReport.Part(number, answer, usage.counts()));
	}

	private static MemoryKind memoryKind(String memory) {
		try {
			return MemoryKind.of(memory);
		}
		catch (IllegalArgumentException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, ex.getMessage());
		}
	}

	// ChatClient.call() blocks: run it where blocking is allowed. Automatic context
	// propagation carries the request's tracker to the worker thread.
	private static <T> Mono<T> blocking(Callable<T> work) {
		return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic());
	}

	/**
	 * Adds up the usage of one request's model calls from their end events, priced with
	 * the starter's price table (the same one the trackers use).
	 */
	static final class PartUsage implements CallbackHandler {

		private final ModelPrices prices;

		private TokenUsage usage = TokenUsage.ZERO;

		private long calls;

		private BigDecimal cost = BigDecimal.ZERO;

		PartUsage(ModelPrices prices) {
			this.prices = prices;
		}

		@Override
		public synchronized void onLlmEnd(LlmEndEvent event) {
			this.usage = this.usage.plus(event.usage());
			this.calls++;
			BigDecimal cost = this.prices.cost(event.model(), event.usage());
			if (cost != null) {
				this.cost = this.cost.add(cost);
			}
		}

		synchronized TokenCounts counts() {
			return TokenCounts.of(this.usage, this.calls, this.cost);
		}

	}

}
