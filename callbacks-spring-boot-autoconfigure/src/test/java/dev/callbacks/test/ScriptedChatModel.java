package dev.callbacks.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.metadata.EmptyUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.DefaultToolCallingChatOptions;

/**
 * An in-memory {@link ChatModel} that answers from a script: each call or stream takes
 * the next {@link Reply} (or asks a function, for concurrent tests). Streams emit one
 * chunk per token, then, like OpenAI with {@code include_usage}, a final chunk with no
 * generation that carries the usage.
 */
public class ScriptedChatModel implements ChatModel {

	public static final String MODEL = "scripted-model";

	private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();

	private final List<Prompt> prompts = Collections.synchronizedList(new ArrayList<>());

	private volatile @Nullable Function<Prompt, Reply> responder;

	private volatile Duration tokenDelay = Duration.ZERO;

	public ScriptedChatModel then(Reply reply) {
		this.script.add(reply);
		return this;
	}

	public ScriptedChatModel respondWith(Function<Prompt, Reply> responder) {
		this.responder = responder;
		return this;
	}

	public ScriptedChatModel tokenDelay(Duration delay) {
		this.tokenDelay = delay;
		return this;
	}

	public List<Prompt> prompts() {
		return List.copyOf(this.prompts);
	}

	@Override
	public ChatOptions getOptions() {
		return DefaultToolCallingChatOptions.builder().model(MODEL).build();
	}

	@Override
	public ChatResponse call(Prompt prompt) {
		Reply reply = next(prompt);
		if (reply.error != null) {
			throw reply.error;
		}
		return response(reply.text(), reply.toolCalls, reply.finishReason(), reply.usage(), reply.model);
	}

	@Override
	public Flux<ChatResponse> stream(Prompt prompt) {
		return Flux.defer(() -> {
			Reply reply = next(prompt);
			List<ChatResponse> chunks = new ArrayList<>();
			if (!reply.toolCalls.isEmpty()) {
				chunks.add(response("", reply.toolCalls, "TOOL_CALLS", null, reply.model));
			}
			for (int i = 0; i < reply.tokens.size(); i++) {
				boolean last = i == reply.tokens.size() - 1;
				chunks.add(response(reply.tokens.get(i), List.of(), last ? "STOP" : null, null, reply.model));
			}
			if (reply.usage() != null && reply.usageInStream) {
				chunks.add(usageOnly(reply.usage(), reply.model));
			}
			Flux<ChatResponse> flux = Flux.fromIterable(chunks);
			if (!this.tokenDelay.isZero()) {
				flux = flux.delayElements(this.tokenDelay);
			}
			if (reply.error != null) {
				flux = flux.take(reply.errorAfterTokens).concatWith(Flux.error(reply.error));
			}
			return flux;
		});
	}

	private Reply next(Prompt prompt) {
		this.prompts.add(prompt);
		Function<Prompt, Reply> responder = this.responder;
		if (responder != null) {
			return responder.apply(prompt);
		}
		Reply reply = this.script.poll();
		if (reply == null) {
			throw new IllegalStateException("ScriptedChatModel: no reply scripted for " + prompt.getContents());
		}
		return reply;
	}

	private static ChatResponse response(String text, List<AssistantMessage.ToolCall> toolCalls,
			@Nullable String finishReason, @Nullable DefaultUsage usage, String model) {
		AssistantMessage message = AssistantMessage.builder().content(text).toolCalls(toolCalls).build();
		ChatGenerationMetadata metadata = (finishReason != null)
				? ChatGenerationMetadata.builder().finishReason(finishReason).build() : ChatGenerationMetadata.NULL;
		return new ChatResponse(List.of(new Generation(message, metadata)),
				ChatResponseMetadata.builder().model(model).usage((usage != null) ? usage : new EmptyUsage()).build());
	}

	private static ChatResponse usageOnly(DefaultUsage usage, String model) {
		return new ChatResponse(List.of(), ChatResponseMetadata.builder().model(model).usage(usage).build());
	}

	/** One scripted model reply. */
	public static final class Reply {

		private final List<String> tokens;

		private List<AssistantMessage.ToolCall> toolCalls = List.of();

		private @Nullable DefaultUsage usage;

		private boolean usageInStream = true;

		private String model = MODEL;

		private @Nullable RuntimeException error;

		private int errorAfterTokens;

		private Reply(List<String> tokens) {
			this.tokens = tokens;
		}

		/** An answer streamed as the given tokens (concatenated for a call). */
		public static Reply tokens(String... tokens) {
			return new Reply(List.of(tokens));
		}

		/**
		 * An answer streamed as one token per whitespace-separated word (spaces kept).
		 */
		public static Reply text(String text) {
			List<String> tokens = new ArrayList<>();
			for (String word : text.split("(?<= )")) {
				tokens.add(word);
			}
			return new Reply(tokens);
		}

		/** A request to call one tool with JSON arguments. */
		public static Reply toolCall(String tool, String arguments) {
			Reply reply = new Reply(List.of());
			reply.toolCalls = List.of(new AssistantMessage.ToolCall("call_" + tool, "function", tool, arguments));
			return reply;
		}

		/** The model fails. */
		public static Reply error(RuntimeException error) {
			Reply reply = new Reply(List.of());
			reply.error = error;
			return reply;
		}

		/** Reported usage. */
		public Reply usage(int prompt, int completion) {
			this.usage = new DefaultUsage(prompt, completion, prompt + completion);
			return this;
		}

		/**
		 * Reported usage with cached prompt tokens and reasoning tokens (in an
		 * OpenAI-like native map).
		 */
		public Reply usage(int prompt, int completion, long cached, long reasoning) {
			this.usage = new DefaultUsage(prompt, completion, prompt + completion,
					Map.of("completion_tokens_details", Map.of("reasoning_tokens", reasoning)), cached, null);
			return this;
		}

		/** In a stream, report no usage at all (a provider without include_usage). */
		public Reply noUsageInStream() {
			this.usageInStream = false;
			return this;
		}

		public Reply model(String model) {
			this.model = model;
			return this;
		}

		/** Streams {@code tokens} tokens, then fails. */
		public Reply failAfter(int tokens, RuntimeException error) {
			this.errorAfterTokens = tokens;
			this.error = error;
			return this;
		}

		String text() {
			return String.join("", this.tokens);
		}

		@Nullable DefaultUsage usage() {
			return this.usage;
		}

		String finishReason() {
			return this.toolCalls.isEmpty() ? "STOP" : "TOOL_CALLS";
		}

	}

}
