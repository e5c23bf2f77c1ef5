package dev.callbacks.ai;

import java.util.ArrayList;
import java.util.List;

import dev.callbacks.ai.usage.ModelNames;
import dev.callbacks.internal.LlmRun;
import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;

/**
 * Reads Spring AI responses for the engine: the text of a response, and the chunks of a
 * streamed round gathered into the tokens, usage and final response an LLM run needs.
 */
final class ChatResponses {

	// Initial capacity of the collected text: most answers fit, so the builder rarely
	// grows per token.
	private static final int TEXT_CAPACITY = 512;

	private ChatResponses() {
	}

	/** The text of the first generation, if any. */
	static @Nullable String textOf(@Nullable ChatResponse response) {
		if (response == null) {
			return null;
		}
		Generation generation = response.getResult();
		return (generation != null) ? generation.getOutput().getText() : null;
	}

	/** How many tool calls a response asks for. */
	static int toolCallsOf(ChatResponse response) {
		int count = 0;
		for (Generation generation : response.getResults()) {
			count += generation.getOutput().getToolCalls().size();
		}
		return count;
	}

	/** The model a response names, if any. */
	static @Nullable String modelOf(@Nullable ChatResponse response) {
		ChatResponseMetadata metadata = (response != null) ? response.getMetadata() : null;
		String model = (metadata != null) ? metadata.getModel() : null;
		return (model != null && !model.isEmpty()) ? model : null;
	}

	/**
	 * The usage of a {@code call()} round: reported, else estimated when anything needs
	 * it.
	 */
	static TokenUsage usageOf(LlmRun run, ChatResponse response, @Nullable String model,
			@Nullable ChatOptions requestOptions) {
		TokenUsage reported = Usages.from(response, requestOptions);
		if (reported != null) {
			return reported;
		}
		if (!run.needsUsage()) {
			return TokenUsage.ZERO;
		}
		String text = textOf(response);
		return TokenEstimator.estimate((model != null) ? model : run.name(), run.messages(),
				(text != null) ? text : "");
	}

	/**
	 * One streamed round's chunks as they arrive: tokens go to the run at once; text
	 * (only when the run collects it), tool calls, the finish reason and the last
	 * reported usage are kept for the end. Chunks of one round arrive one at a time
	 * (Reactor's serial onNext), so no locking.
	 */
	static final class StreamedRound {

		private final LlmRun run;

		private final String requestedModel;

		private final @Nullable ChatOptions requestOptions;

		private final @Nullable StringBuilder text;

		private @Nullable List<AssistantMessage.ToolCall> toolCalls;

		private @Nullable ChatResponseMetadata lastMetadata;

		private @Nullable String finishReason;

		private @Nullable TokenUsage reported;

		private @Nullable TokenUsage endedWith;

		// The provider's own usage object of the last report, kept for the aggregated
		// response (native usage).
		private @Nullable Usage reportedUsage;

		StreamedRound(LlmRun run, String requestedModel, @Nullable ChatOptions requestOptions) {
			this.run = run;
			this.requestedModel = requestedModel;
			this.requestOptions = requestOptions;
			this.text = run.collectsText() ? new StringBuilder(TEXT_CAPACITY) : null;
		}

		/**
		 * Takes one chunk; returns what async token handlers left pending, if anything.
		 */
		reactor.core.publisher.@Nullable Mono<Void> onChunk(@Nullable ChatResponse received) {
			if (received == null || this.run.isFinished()) {
				return null;
			}
			// The model name is repaired where Spring AI's chunk merging concatenated it;
			// the request's options fill in what a provider's stream leaves out.
			ChatResponse chunk = ModelNames.withAnsweringModel(received, this.requestedModel);
			ChatResponseMetadata metadata = chunk.getMetadata();
			TokenUsage usage = Usages.from(chunk, this.requestOptions);
			if (usage != null) {
				this.reported = usage;
				this.reportedUsage = metadata.getUsage();
			}
			if (!metadata.getModel().isEmpty() || !metadata.getId().isEmpty()) {
				this.lastMetadata = metadata;
			}
			if (usage != null || !metadata.getModel().isEmpty()) {
				this.run.report(modelOf(chunk), usage);
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
			if (this.text != null) {
				this.text.append(token);
			}
			return this.run.onToken(token);
		}

		/**
		 * The round's usage: what it ended with, else what the provider reported so far
		 * ({@code null}: nothing).
		 */
		@Nullable TokenUsage usage() {
			return (this.endedWith != null) ? this.endedWith : this.reported;
		}

		/** Ends the round with the aggregated response and the last reported usage. */
		reactor.core.publisher.Mono<Void> end() {
			String model = reportedModel();
			String completion = (this.text != null) ? this.text.toString() : "";
			TokenUsage usage = (this.reported != null) ? this.reported : estimate(model, completion, false);
			this.endedWith = usage;
			ChatResponse response = this.run.wantsResponse() ? aggregate(model, completion, usage)
					: new ChatResponse(List.of());
			return this.run.end(response, usage, model, (this.toolCalls != null) ? this.toolCalls.size() : 0);
		}

		/**
		 * Ends the round because its subscriber cancelled. Providers bill what they
		 * generated until the request was dropped, and the usage report comes last, so a
		 * round cancelled without one counts an estimate (flagged as such): the prompt,
		 * and the tokens streamed so far.
		 * @param budgeted whether budgets settle to the round's usage
		 */
		void cancel(boolean budgeted) {
			if (this.reported == null && this.run.modelWasCalled() && (budgeted || this.run.needsUsage())) {
				TokenUsage estimate = estimate(reportedModel(), (this.text != null) ? this.text.toString() : "", true);
				this.endedWith = estimate;
				this.run.report(null, estimate);
			}
			this.run.cancel();
		}

		// The model the stream named, if it named one.
		private @Nullable String reportedModel() {
			return (this.lastMetadata != null && !this.lastMetadata.getModel().isEmpty()) ? this.lastMetadata.getModel()
					: null;
		}

		// An estimate of the round's usage; ZERO when nothing needs it, unless always.
		private TokenUsage estimate(@Nullable String model, String completion, boolean always) {
			if (!always && !this.run.needsUsage()) {
				return TokenUsage.ZERO;
			}
			String encoding = (model != null) ? model : this.run.name();
			if (this.text == null) {
				// A model that used to report usage did not this time, and its text was
				// not
				// collected: count the prompt with the tokenizer and one completion token
				// per streamed chunk (providers stream about one each).
				TokenUsage prompt = TokenEstimator.estimate(encoding, this.run.messages(), "");
				int completionTokens = this.run.tokenCount();
				return new TokenUsage(prompt.promptTokens(), completionTokens, prompt.promptTokens() + completionTokens,
						0, 0, true);
			}
			return TokenEstimator.estimate(encoding, this.run.messages(), completion);
		}

		private ChatResponse aggregate(@Nullable String model, String completion, TokenUsage usage) {
			AssistantMessage message = AssistantMessage.builder()
				.content(completion)
				.toolCalls((this.toolCalls != null) ? this.toolCalls : List.of())
				.build();
			ChatGenerationMetadata generationMetadata = (this.finishReason != null)
					? ChatGenerationMetadata.builder().finishReason(this.finishReason).build()
					: ChatGenerationMetadata.NULL;
			ChatResponseMetadata.Builder metadata = ChatResponseMetadata.builder()
				.model((model != null) ? model : this.run.name())
				.usage((this.reportedUsage != null) ? this.reportedUsage
						: new DefaultUsage(Math.toIntExact(usage.promptTokens()),
								Math.toIntExact(usage.completionTokens()), Math.toIntExact(usage.totalTokens()), null,
								(usage.cachedPromptTokens() > 0) ? usage.cachedPromptTokens() : null, null));
			if (this.lastMetadata != null && !this.lastMetadata.getId().isEmpty()) {
				metadata.id(this.lastMetadata.getId());
			}
			return new ChatResponse(List.of(new Generation(message, generationMetadata)), metadata.build());
		}

	}

}
