package dev.callbacks;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import dev.callbacks.event.ChatModelStartEvent;
import dev.callbacks.event.LlmEndEvent;
import dev.callbacks.event.LlmErrorEvent;
import dev.callbacks.event.LlmNewTokenEvent;
import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

/**
 * One model round trip: a child of the chain run. For a stream it collects the chunks
 * (tokens, the last usage report, tool calls) and ends with the aggregated response. On
 * end or error it does the accounting: the chain's usage, the open trackers, the
 * observers (meters).
 */
public final class LlmRun extends Run {

	// Initial capacity of the collected text: most answers fit, so the builder rarely
	// grows per token.
	private static final int TEXT_CAPACITY = 512;

	private final ChainRun chain;

	private final List<Message> messages;

	private final String requestedModel;

	private final long startNanos;

	// When the model was called: after the start handlers, so that time to first token is
	// the model's alone.
	private long modelCalledNanos;

	// Stream state: chunks of one round arrive one at a time (Reactor's serial onNext),
	// so no locking.
	private long firstTokenNanos = -1;

	private int tokenIndex;

	private @Nullable StringBuilder text;

	private @Nullable List<AssistantMessage.ToolCall> toolCalls;

	private @Nullable ChatResponseMetadata lastMetadata;

	private @Nullable String finishReason;

	private @Nullable TokenUsage reported;

	// The provider's own usage object of the last report, kept for the aggregated
	// response (native usage).
	private @Nullable Usage reportedUsage;

	// The advisor chain of this round: duplicate LLM advisors of the same round step
	// aside.
	private final Object startedBy;

	LlmRun(ChainRun chain, List<Message> messages, String requestedModel, boolean streaming, Object startedBy) {
		super(chain.manager, chain.handlers, chain.id, runName(requestedModel), chain.tags, chain.metadata, streaming);
		this.chain = chain;
		this.messages = messages;
		this.requestedModel = requestedModel;
		this.startedBy = startedBy;
		this.startNanos = System.nanoTime();
		this.modelCalledNanos = this.startNanos;
		// The text is collected for end handlers, and for an estimate if the provider
		// reports no usage; a model whose streams have reported usage is not expected to
		// stop, so nothing is collected per token for it.
		if (streaming && (listens(EventKind.LLM_END)
				|| (chain.needsUsage() && !this.manager.streamsReportUsage(requestedModel)))) {
			this.text = new StringBuilder(TEXT_CAPACITY);
		}
	}

	private static String runName(String model) {
		return model.isEmpty() ? "chat_model" : model;
	}

	@Override
	public ChainRun chain() {
		return this.chain;
	}

	/** Whether this round was started for {@code advisorChain}. */
	public boolean isStartedBy(Object advisorChain) {
		return this.startedBy == advisorChain;
	}

	/** Delivers the chat-model start; await it before calling the model. */
	public Mono<Void> start() {
		if (!listens(EventKind.CHAT_MODEL_START)) {
			return Mono.empty();
		}
		return emit(EventKind.CHAT_MODEL_START, new ChatModelStartEvent(this.id, this.parentId, this.name, this.tags,
				this.metadata, this.messages, this.requestedModel, this.reactive));
	}

	/** Marks the moment the model is called, once the start event has been delivered. */
	public void modelCalled() {
		this.modelCalledNanos = System.nanoTime();
	}

	/**
	 * Whether token events need awaiting (some async handler listens), so chunks must be
	 * delivered in sequence.
	 */
	public boolean awaitsTokens() {
		return this.handlers.hasAsync(EventKind.LLM_NEW_TOKEN) || (this.reactive
				&& this.handlers.listens(EventKind.LLM_NEW_TOKEN) && this.manager.offloadsSyncHandlers());
	}

	/**
	 * Takes one streamed chunk: its text becomes a token event, its usage (if any)
	 * replaces the last reported. Returns what async token handlers left pending, or
	 * {@code null} when nothing is.
	 */
	public @Nullable Mono<Void> onChunk(ChatResponse chunk, @Nullable TokenUsage usage) {
		if (isFinished()) {
			// A chunk that raced a cancel: the round has ended, nothing more is delivered
			// for it.
			return null;
		}
		if (usage != null && !usage.isEmpty()) {
			this.reported = usage;
			this.reportedUsage = chunk.getMetadata().getUsage();
		}
		ChatResponseMetadata metadata = chunk.getMetadata();
		if (metadata != null && (!metadata.getModel().isEmpty() || !metadata.getId().isEmpty())) {
			this.lastMetadata = metadata;
		}
		Generation generation = chunk.getResult();
		if (generation == null) {
			return null;
		}
		String finish = generation.getMetadata().getFinishReason();
		if (finish != null && !finish.isEmpty()) {
			this.finishReason = finish;
		}
		AssistantMessage output = generation.getOutput();
		if (output.hasToolCalls()) {
			if (this.toolCalls == null) {
				this.toolCalls = new ArrayList<>(2);
			}
			this.toolCalls.addAll(output.getToolCalls());
		}
		String token = output.getText();
		if (token == null || token.isEmpty()) {
			return null;
		}
		if (this.firstTokenNanos < 0) {
			this.firstTokenNanos = System.nanoTime();
		}
		if (this.text != null) {
			this.text.append(token);
		}
		int index = this.tokenIndex++;
		if (!listens(EventKind.LLM_NEW_TOKEN)) {
			return null;
		}
		return this.manager.dispatch(this, EventKind.LLM_NEW_TOKEN,
				new LlmNewTokenEvent(this.id, this.parentId, this.name, this.tags, this.metadata, token, index));
	}

	/**
	 * Ends a {@code call()} round with the model's response and the usage read from it.
	 */
	public Mono<Void> end(@Nullable ChatResponse response, @Nullable TokenUsage usage) {
		if (!finish()) {
			return Mono.empty();
		}
		ChatResponse result = (response != null) ? response : new ChatResponse(List.of());
		String model = answeringModel(result.getMetadata());
		TokenUsage roundUsage = (usage != null && !usage.isEmpty()) ? usage
				: estimateIfNeeded(model, () -> textOf(result));
		account(model, roundUsage, true);
		if (!listens(EventKind.LLM_END)) {
			return Mono.empty();
		}
		return emit(EventKind.LLM_END, new LlmEndEvent(this.id, this.parentId, this.name, this.tags, this.metadata,
				result, roundUsage, model));
	}

	/**
	 * Ends a streamed round: the response is the chunks aggregated, the usage the last
	 * one reported.
	 */
	public Mono<Void> endStream() {
		if (!finish()) {
			return Mono.empty();
		}
		String model = answeringModel(this.lastMetadata);
		String completion = (this.text != null) ? this.text.toString() : "";
		this.manager.streamsReportUsage(this.requestedModel, this.reported != null);
		TokenUsage roundUsage = (this.reported != null) ? this.reported : estimateStream(model, completion);
		account(model, roundUsage, true);
		if (!listens(EventKind.LLM_END)) {
			return Mono.empty();
		}
		return emit(EventKind.LLM_END, new LlmEndEvent(this.id, this.parentId, this.name, this.tags, this.metadata,
				aggregate(model, completion, roundUsage), roundUsage, model));
	}

	/** Delivers the LLM error; usage already reported in the round still counts. */
	@Override
	public Mono<Void> error(Throwable error) {
		if (!finish()) {
			return Mono.empty();
		}
		account(answeringModel(this.lastMetadata), (this.reported != null) ? this.reported : TokenUsage.ZERO, false);
		if (!listens(EventKind.LLM_ERROR)) {
			return Mono.empty();
		}
		return emit(EventKind.LLM_ERROR,
				new LlmErrorEvent(this.id, this.parentId, this.name, this.tags, this.metadata, error));
	}

	/**
	 * Ends the round because its subscriber cancelled; async handlers are not awaited.
	 */
	public void cancel() {
		detach(cancelled("The subscriber cancelled the stream of " + this.name));
	}

	private String answeringModel(@Nullable ChatResponseMetadata metadata) {
		if (metadata != null && !metadata.getModel().isEmpty()) {
			this.manager.answeredAs(this.requestedModel, metadata.getModel());
			return metadata.getModel();
		}
		// A round that failed before answering: name it as this model answered last time
		// (gpt-4o-mini → gpt-4o-mini-2024-07-18), so that its failure lines up with its
		// successes in meters and trackers.
		return this.manager.answeringModel(runName(this.requestedModel));
	}

	private TokenUsage estimateStream(String model, String completion) {
		if (this.text == null && this.chain.needsUsage()) {
			// A model that used to report usage did not this time, and its text was not
			// collected: count the prompt with the tokenizer and one completion token per
			// streamed chunk (providers stream about one each).
			TokenUsage prompt = TokenEstimator.estimate(model, this.messages, "");
			return new TokenUsage(prompt.promptTokens(), this.tokenIndex, prompt.promptTokens() + this.tokenIndex, 0, 0,
					true);
		}
		return estimateIfNeeded(model, () -> completion);
	}

	private TokenUsage estimateIfNeeded(String model, java.util.function.Supplier<String> completion) {
		if (!this.chain.needsUsage()) {
			return TokenUsage.ZERO;
		}
		return TokenEstimator.estimate(model, this.messages, completion.get());
	}

	private void account(String model, TokenUsage roundUsage, boolean success) {
		this.chain.addUsage(roundUsage);
		UsageTracker[] trackers = this.chain.trackers();
		boolean observed = this.manager.hasObservers();
		if (trackers == null && !observed) {
			return;
		}
		BigDecimal cost = this.manager.prices().cost(model, roundUsage);
		if (trackers != null) {
			for (UsageTracker tracker : trackers) {
				tracker.record(model, roundUsage, success, cost);
			}
		}
		if (observed) {
			long now = System.nanoTime();
			this.manager.observe(
					new LlmRunRecord(this.id, this.chain.id, java.time.Instant.now().minusNanos(now - this.startNanos),
							this.chain.name, LlmRunRecord.UNKNOWN_PROVIDER, model, roundUsage, cost,
							success ? LlmRunRecord.Outcome.SUCCESS : LlmRunRecord.Outcome.ERROR, this.reactive,
							now - this.startNanos,
							(this.firstTokenNanos >= 0) ? this.firstTokenNanos - this.modelCalledNanos : -1,
							dev.callbacks.event.RunIdentity.of(this.metadata), this.tags, this.metadata));
		}
	}

	private ChatResponse aggregate(String model, String completion, TokenUsage usage) {
		AssistantMessage message = AssistantMessage.builder()
			.content(completion)
			.toolCalls((this.toolCalls != null) ? this.toolCalls : List.of())
			.build();
		ChatGenerationMetadata generationMetadata = (this.finishReason != null)
				? ChatGenerationMetadata.builder().finishReason(this.finishReason).build()
				: ChatGenerationMetadata.NULL;
		ChatResponseMetadata.Builder metadata = ChatResponseMetadata.builder()
			.model(model)
			.usage((this.reportedUsage != null) ? this.reportedUsage
					: new DefaultUsage(Math.toIntExact(usage.promptTokens()), Math.toIntExact(usage.completionTokens()),
							Math.toIntExact(usage.totalTokens()), null,
							(usage.cachedPromptTokens() > 0) ? usage.cachedPromptTokens() : null, null));
		if (this.lastMetadata != null && !this.lastMetadata.getId().isEmpty()) {
			metadata.id(this.lastMetadata.getId());
		}
		return new ChatResponse(List.of(new Generation(message, generationMetadata)), metadata.build());
	}

	private static String textOf(ChatResponse response) {
		Generation generation = response.getResult();
		String text = (generation != null) ? generation.getOutput().getText() : null;
		return (text != null) ? text : "";
	}

}
