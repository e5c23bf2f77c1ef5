package dev.callbacks.benchmarks;

import java.util.List;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * LangChain4j's side of the comparison: zero-latency in-memory models with the same
 * answers as {@link ZeroLatencyChatModel}, and a listener recording the token meters that
 * {@code langchain4j-micrometer-metrics} records (that module is not available from the
 * registry here).
 */
final class LangChain4jModels {

	private static final ChatRequestParameters PARAMETERS = DefaultChatRequestParameters.builder()
		.modelName(ZeroLatencyChatModel.MODEL)
		.build();

	private LangChain4jModels() {
	}

	/** A blocking model answering with one fixed response. */
	static final class Chat implements ChatModel {

		private final List<ChatModelListener> listeners;

		private final ChatResponse response = ChatResponse.builder()
			.aiMessage(AiMessage.from("Roses, lilies and tulips."))
			.id("chatcmpl-call")
			.modelName(ZeroLatencyChatModel.MODEL)
			.tokenUsage(new TokenUsage(ZeroLatencyChatModel.PROMPT_TOKENS, 6))
			.finishReason(FinishReason.STOP)
			.build();

		Chat(List<ChatModelListener> listeners) {
			this.listeners = listeners;
		}

		@Override
		public ChatResponse doChat(ChatRequest chatRequest) {
			return this.response;
		}

		@Override
		public ChatRequestParameters defaultRequestParameters() {
			return PARAMETERS;
		}

		@Override
		public List<ChatModelListener> listeners() {
			return this.listeners;
		}

		@Override
		public ModelProvider provider() {
			return ModelProvider.OPEN_AI;
		}

	}

	/**
	 * A streaming model handing pre-built tokens to the handler, then the complete
	 * response. Like LangChain4j's provider models (their streaming response builders),
	 * it aggregates the text for the complete response.
	 */
	static final class Streaming implements StreamingChatModel {

		private final List<ChatModelListener> listeners;

		private final String[] tokens;

		private final TokenUsage usage;

		Streaming(ZeroLatencyChatModel twin, List<ChatModelListener> listeners) {
			this.listeners = listeners;
			org.springframework.ai.chat.model.ChatResponse[] chunks = twin.chunks();
			this.tokens = new String[twin.tokens()];
			for (int i = 0; i < this.tokens.length; i++) {
				this.tokens[i] = chunks[i].getResult().getOutput().getText();
			}
			this.usage = new TokenUsage(ZeroLatencyChatModel.PROMPT_TOKENS, this.tokens.length);
		}

		@Override
		public void doChat(ChatRequest chatRequest, StreamingChatResponseHandler handler) {
			StringBuilder text = new StringBuilder();
			for (String token : this.tokens) {
				text.append(token);
				handler.onPartialResponse(token);
			}
			handler.onCompleteResponse(ChatResponse.builder()
				.aiMessage(AiMessage.from(text.toString()))
				.id("chatcmpl-stream")
				.modelName(ZeroLatencyChatModel.MODEL)
				.tokenUsage(this.usage)
				.finishReason(FinishReason.STOP)
				.build());
		}

		@Override
		public ChatRequestParameters defaultRequestParameters() {
			return PARAMETERS;
		}

		@Override
		public List<ChatModelListener> listeners() {
			return this.listeners;
		}

		@Override
		public ModelProvider provider() {
			return ModelProvider.OPEN_AI;
		}

	}

	/**
	 * Records {@code gen_ai.client.token.usage} (a distribution summary per token type,
	 * tagged with operation, provider, request and response model) on every response, as
	 * {@code langchain4j-micrometer-metrics}' chat model listener does.
	 */
	static final class TokenMetricsListener implements ChatModelListener {

		private final MeterRegistry registry;

		TokenMetricsListener(MeterRegistry registry) {
			this.registry = registry;
		}

		@Override
		public void onResponse(ChatModelResponseContext context) {
			TokenUsage usage = context.chatResponse().tokenUsage();
			if (usage == null) {
				return;
			}
			record(context, "input", usage.inputTokenCount());
			record(context, "output", usage.outputTokenCount());
		}

		private void record(ChatModelResponseContext context, String type, Integer count) {
			String requestModel = context.chatRequest().parameters().modelName();
			String responseModel = context.chatResponse().metadata().modelName();
			DistributionSummary.builder("gen_ai.client.token.usage")
				.baseUnit("tokens")
				.description("Measures token usage")
				.tag("gen_ai.operation.name", "chat")
				.tag("gen_ai.provider.name", "openai")
				.tag("gen_ai.request.model", (requestModel != null) ? requestModel : "unknown")
				.tag("gen_ai.response.model", (responseModel != null) ? responseModel : "unknown")
				.tag("gen_ai.token.type", type)
				.register(this.registry)
				.record((count != null) ? count : 0);
		}

	}

}
