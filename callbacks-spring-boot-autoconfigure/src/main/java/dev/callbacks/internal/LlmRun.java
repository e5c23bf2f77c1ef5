package dev.callbacks.internal;

import java.time.Instant;
import java.util.List;

import dev.callbacks.LlmRunRecord;
import dev.callbacks.budget.BudgetException;
import dev.callbacks.RunCancelledException;
import dev.callbacks.event.ChatModelStartEvent;
import dev.callbacks.event.LlmEndEvent;
import dev.callbacks.event.LlmErrorEvent;
import dev.callbacks.event.LlmNewTokenEvent;
import dev.callbacks.event.RunIdentity;
import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.model.ChatResponse;

/**
 * One model round trip: a child of the chain run. The adapter feeds it tokens as they
 * stream, the usage reported so far, and the round's response and usage at the end; on
 * end or error it does the accounting: the chain's usage, the open trackers, the
 * observers (meters).
 */
public final class LlmRun extends Run {

	private final ChainRun chain;

	private final List<Message> messages;

	private final String requestedModel;

	private final String provider;

	private final long startNanos;

	// When the model was called: after the start handlers, so that time to first token is
	// the model's alone.
	private long modelCalledNanos;

	// Stream state: chunks of one round arrive one at a time (Reactor's serial onNext),
	// so no locking.
	private long firstTokenNanos = -1;

	// Whether the round reached the provider: a round refused before (over budget) is
	// rejected, not failed.
	private volatile boolean modelWasCalled;

	private int tokenIndex;

	// What the provider reported so far (a failed round still counts it).
	private @Nullable TokenUsage reported;

	private @Nullable String reportedModel;

	// The advisor chain of this round: duplicate LLM advisors of the same round step
	// aside.
	private final Object startedBy;

	LlmRun(ChainRun chain, List<Message> messages, String requestedModel, String provider, boolean streaming,
			Object startedBy) {
		super(chain.dispatcher, chain.handlers, chain.id, runName(requestedModel), chain.tags, chain.metadata,
				streaming);
		this.chain = chain;
		this.messages = messages;
		this.requestedModel = requestedModel;
		this.provider = provider;
		this.startedBy = startedBy;
		this.startNanos = System.nanoTime();
		this.modelCalledNanos = this.startNanos;
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

	/** The prompt of the round. */
	public List<Message> messages() {
		return this.messages;
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
		this.modelWasCalled = true;
	}

	/**
	 * Whether token events need awaiting (some async handler listens), so chunks must be
	 * delivered in sequence.
	 */
	public boolean awaitsTokens() {
		return this.handlers.hasAsync(EventKind.LLM_NEW_TOKEN) || (this.reactive
				&& this.handlers.listens(EventKind.LLM_NEW_TOKEN) && this.dispatcher.offloadsSyncHandlers());
	}

	/**
	 * Whether the adapter should collect the streamed text: for end handlers, and for an
	 * estimate if the provider may report no usage. A model whose streams have reported
	 * usage is not expected to stop, so nothing is collected per token for it.
	 */
	public boolean collectsText() {
		return listens(EventKind.LLM_END)
				|| (this.chain.needsUsage() && !this.chain.accounting.streamsReportUsage(this.requestedModel));
	}

	/** Whether the end event's response is read by a handler. */
	public boolean wantsResponse() {
		return listens(EventKind.LLM_END);
	}

	/** Whether anything needs the round's usage (so the adapter estimates it if none). */
	public boolean needsUsage() {
		return this.chain.needsUsage();
	}

	/** Whether the model was called (the round was not refused or cancelled before). */
	public boolean modelWasCalled() {
		return this.modelWasCalled;
	}

	/** How many tokens (non-empty text chunks) the stream delivered so far. */
	public int tokenCount() {
		return this.tokenIndex;
	}

	/**
	 * Takes what the provider reported so far: usage replaces the last reported, a model
	 * name names the round.
	 */
	public void report(@Nullable String model, @Nullable TokenUsage usage) {
		if (usage != null && !usage.isEmpty()) {
			this.reported = usage;
		}
		if (model != null && !model.isEmpty()) {
			this.reportedModel = model;
		}
	}

	/**
	 * Takes one streamed token. Returns what async token handlers left pending, or
	 * {@code null} when nothing is.
	 */
	public @Nullable Mono<Void> onToken(String token) {
		if (isFinished()) {
			// A chunk that raced a cancel: the round has ended, nothing more is delivered
			// for it.
			return null;
		}
		if (this.firstTokenNanos < 0) {
			this.firstTokenNanos = System.nanoTime();
		}
		int index = this.tokenIndex++;
		if (!listens(EventKind.LLM_NEW_TOKEN)) {
			return null;
		}
		// A cancel on the subscriber's thread races the chunk thread: the token and the
		// cancel's error are delivered one after the other, never a token after it.
		synchronized (this) {
			if (isFinished()) {
				return null;
			}
			return this.dispatcher.dispatch(this, EventKind.LLM_NEW_TOKEN,
					new LlmNewTokenEvent(this.id, this.parentId, this.name, this.tags, this.metadata, token, index));
		}
	}

	/**
	 * Ends the round.
	 * @param response the model's response (for a stream, the chunks aggregated)
	 * @param usage the round's usage: reported, or estimated by the adapter
	 * @param model the model that answered, if the response names it
	 * @param toolCalls how many tool calls the model asked for in this round
	 */
	public Mono<Void> end(ChatResponse response, TokenUsage usage, @Nullable String model, int toolCalls) {
		if (!finish()) {
			return Mono.empty();
		}
		this.chain.roundEnded(usage, toolCalls);
		if (this.reactive) {
			this.chain.accounting.streamsReportUsage(this.requestedModel, !usage.estimated() && !usage.isEmpty());
		}
		String answering = this.chain.accounting.answeringModel(this.requestedModel,
				(model != null) ? model : this.reportedModel);
		account(answering, usage, LlmRunRecord.Outcome.SUCCESS);
		if (!listens(EventKind.LLM_END)) {
			return Mono.empty();
		}
		return emit(EventKind.LLM_END, new LlmEndEvent(this.id, this.parentId, this.name, this.tags, this.metadata,
				response, usage, answering));
	}

	/** Delivers the LLM error; usage already reported in the round still counts. */
	@Override
	public Mono<Void> error(Throwable error) {
		synchronized (this) {
			return deliverError(error);
		}
	}

	private Mono<Void> deliverError(Throwable error) {
		if (!finish()) {
			return Mono.empty();
		}
		account(this.chain.accounting.answeringModel(this.requestedModel, this.reportedModel),
				(this.reported != null) ? this.reported : TokenUsage.ZERO, outcomeOf(error));
		if (!listens(EventKind.LLM_ERROR)) {
			return Mono.empty();
		}
		return emit(EventKind.LLM_ERROR,
				new LlmErrorEvent(this.id, this.parentId, this.name, this.tags, this.metadata, error));
	}

	private LlmRunRecord.Outcome outcomeOf(Throwable error) {
		if (error instanceof RunCancelledException) {
			return LlmRunRecord.Outcome.CANCELLED;
		}
		if (error instanceof BudgetException && !this.modelWasCalled) {
			return LlmRunRecord.Outcome.REJECTED;
		}
		return LlmRunRecord.Outcome.ERROR;
	}

	/**
	 * Ends the round because its subscriber cancelled; async handlers are not awaited.
	 */
	public void cancel() {
		detach(cancelled("The subscriber cancelled the stream of " + this.name));
	}

	private void account(String model, TokenUsage usage, LlmRunRecord.Outcome outcome) {
		this.chain.addUsage(usage);
		RunIdentity identity = RunIdentity.of(this.metadata);
		this.chain.accounting.account(this.chain.trackers(), model, identity, usage,
				outcome == LlmRunRecord.Outcome.SUCCESS, (cost) -> {
					long now = System.nanoTime();
					return new LlmRunRecord(this.id, this.chain.id, Instant.now().minusNanos(now - this.startNanos),
							this.chain.name, this.provider, model, usage, cost, outcome, this.reactive,
							now - this.startNanos,
							(this.firstTokenNanos >= 0) ? this.firstTokenNanos - this.modelCalledNanos : -1, identity,
							this.tags, this.metadata, this.requestedModel);
				});
	}

}
