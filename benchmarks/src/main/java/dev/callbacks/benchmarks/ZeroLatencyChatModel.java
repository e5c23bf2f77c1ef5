package dev.callbacks.benchmarks;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.metadata.EmptyUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.model.MessageAggregator;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.observation.ChatModelObservationConvention;
import org.springframework.ai.chat.observation.ChatModelObservationDocumentation;
import org.springframework.ai.chat.observation.DefaultChatModelObservationConvention;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.DefaultToolCallingChatOptions;

/**
 * A Spring AI {@link ChatModel} that answers at once from pre-built responses, so that
 * only framework cost is measured. A call returns one fixed response; a stream emits
 * {@link #tokens()} one-token chunks (the last with a finish reason) and then, like
 * OpenAI with {@code include_usage}, a usage-only chunk. The chunks are built once and
 * reused by every stream.
 * <p>
 * With a non-NOOP {@link ObservationRegistry} it observes itself the way Spring AI's
 * provider models do ({@code OpenAiChatModel}): a {@code gen_ai.client.operation}
 * observation around the call, and for streams the observation in the Reactor context
 * plus a {@link MessageAggregator} that hands the aggregated response to the observation
 * context (which is what {@code ChatModelMeterObservationHandler} reads the token usage
 * from).
 */
public class ZeroLatencyChatModel implements ChatModel {

	public static final String MODEL = "gpt-4o-mini";

	public static final int PROMPT_TOKENS = 12;

	private static final ChatModelObservationConvention CONVENTION = new DefaultChatModelObservationConvention();

	private final ObservationRegistry observationRegistry;

	private final ChatResponse callResponse;

	private final ChatResponse[] chunks;

	private final int tokens;

	public ZeroLatencyChatModel(int streamTokens, ObservationRegistry observationRegistry) {
		this.observationRegistry = observationRegistry;
		this.tokens = streamTokens;
		this.callResponse = new ChatResponse(
				List.of(new Generation(AssistantMessage.builder().content("Roses, lilies and tulips.").build(),
						ChatGenerationMetadata.builder().finishReason("STOP").build())),
				ChatResponseMetadata.builder()
					.id("chatcmpl-call")
					.model(MODEL)
					.usage(new DefaultUsage(PROMPT_TOKENS, 6, PROMPT_TOKENS + 6))
					.build());
		List<ChatResponse> chunks = new ArrayList<>(streamTokens + 1);
		ChatResponseMetadata tokenMetadata = ChatResponseMetadata.builder()
			.id("chatcmpl-stream")
			.model(MODEL)
			.usage(new EmptyUsage())
			.build();
		for (int i = 0; i < streamTokens; i++) {
			boolean last = i == streamTokens - 1;
			AssistantMessage message = AssistantMessage.builder().content(token(i)).build();
			ChatGenerationMetadata generationMetadata = last
					? ChatGenerationMetadata.builder().finishReason("STOP").build() : ChatGenerationMetadata.NULL;
			chunks.add(new ChatResponse(List.of(new Generation(message, generationMetadata)), tokenMetadata));
		}
		chunks.add(new ChatResponse(List.of(),
				ChatResponseMetadata.builder()
					.id("chatcmpl-stream")
					.model(MODEL)
					.usage(new DefaultUsage(PROMPT_TOKENS, streamTokens, PROMPT_TOKENS + streamTokens))
					.build()));
		this.chunks = chunks.toArray(new ChatResponse[0]);
	}

	// Word-like tokens of 3 to 7 characters, as a real completion streams them.
	private static String token(int i) {
		String[] words = { "Roses", " are", " red", ",", " lilies", " are", " white", " and", " tulips", " bloom" };
		return words[i % words.length];
	}

	/** Tokens (text chunks) per stream. */
	public int tokens() {
		return this.tokens;
	}

	/** The chunks of one stream, usage-only chunk last; shared, do not modify. */
	ChatResponse[] chunks() {
		return this.chunks;
	}

	@Override
	public ChatOptions getOptions() {
		return DefaultToolCallingChatOptions.builder().model(MODEL).build();
	}

	@Override
	public ChatResponse call(Prompt prompt) {
		if (this.observationRegistry.isNoop()) {
			return this.callResponse;
		}
		ChatModelObservationContext context = ChatModelObservationContext.builder()
			.prompt(prompt)
			.provider("openai")
			.build();
		return ChatModelObservationDocumentation.CHAT_MODEL_OPERATION
			.observation(null, CONVENTION, () -> context, this.observationRegistry)
			.observe(() -> {
				context.setResponse(this.callResponse);
				return this.callResponse;
			});
	}

	@Override
	public Flux<ChatResponse> stream(Prompt prompt) {
		if (this.observationRegistry.isNoop()) {
			return Flux.fromArray(this.chunks);
		}
		return Flux.deferContextual(contextView -> {
			ChatModelObservationContext context = ChatModelObservationContext.builder()
				.prompt(prompt)
				.provider("openai")
				.streaming(true)
				.build();
			Observation observation = ChatModelObservationDocumentation.CHAT_MODEL_OPERATION.observation(null,
					CONVENTION, () -> context, this.observationRegistry);
			Observation parent = contextView.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
			observation.parentObservation(parent);
			observation.start();
			Flux<ChatResponse> observed = Flux.fromArray(this.chunks)
				.doOnError(observation::error)
				.doFinally(signal -> observation.stop())
				.contextWrite(ctx -> ctx.put(ObservationThreadLocalAccessor.KEY, observation));
			return new MessageAggregator().aggregate(observed, context::setResponse);
		});
	}

}
