package dev.callbacks.ai;

import java.util.List;

import dev.callbacks.usage.TokenUsage;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;

import org.springframework.ai.chat.messages.Message;

/**
 * Counts tokens with JTokkit when a provider reports no usage (LangChain reports 0 then;
 * we estimate and say so with {@link TokenUsage#estimated()}). Models JTokkit does not
 * know are counted with {@code o200k_base}, the encoding of current OpenAI models: an
 * estimate, as the flag says.
 */
public final class TokenEstimator {

	// OpenAI's chat format: every message is wrapped in a few tokens, and the reply is
	// primed with three.
	private static final int TOKENS_PER_MESSAGE = 3;

	private static final int REPLY_PRIMING_TOKENS = 3;

	private TokenEstimator() {
	}

	/**
	 * Loads the default encoding on a background thread, so that the first request that
	 * needs a count (a round checked against a budget) does not pay for loading it.
	 */
	static void warmUp() {
		Thread loader = new Thread(() -> count("gpt-4o", "warm up"), "callbacks-tokenizer-warm-up");
		loader.setDaemon(true);
		loader.start();
	}

	/** Tokens of {@code text} in the encoding of {@code model}. */
	public static long count(String model, String text) {
		return text.isEmpty() ? 0 : encodingFor(model).countTokensOrdinary(text);
	}

	/**
	 * An estimated usage for a round that sent {@code prompt} and received
	 * {@code completion}.
	 */
	public static TokenUsage estimate(String model, List<Message> prompt, String completion) {
		Encoding encoding = encodingFor(model);
		long promptTokens = REPLY_PRIMING_TOKENS;
		for (Message message : prompt) {
			String text = message.getText();
			promptTokens += TOKENS_PER_MESSAGE + ((text != null) ? encoding.countTokensOrdinary(text) : 0);
		}
		long completionTokens = completion.isEmpty() ? 0 : encoding.countTokensOrdinary(completion);
		return new TokenUsage(promptTokens, completionTokens, promptTokens + completionTokens, 0, 0, true);
	}

	/**
	 * An estimated usage for an embedding call of {@code inputs}: input tokens only
	 * (embedding endpoints add no per-message wrapping).
	 */
	public static TokenUsage estimateEmbedding(String model, List<String> inputs) {
		Encoding encoding = encodingFor(model);
		long tokens = 0;
		for (String input : inputs) {
			tokens += (input != null && !input.isEmpty()) ? encoding.countTokensOrdinary(input) : 0;
		}
		return new TokenUsage(tokens, 0, tokens, 0, 0, true);
	}

	private static Encoding encodingFor(String model) {
		EncodingRegistry registry = Registry.INSTANCE;
		return registry.getEncodingForModel(model).orElseGet(() -> registry.getEncoding(EncodingType.O200K_BASE));
	}

	// Loading the encodings takes a moment and some memory: only when the first estimate
	// is needed.
	private static final class Registry {

		static final EncodingRegistry INSTANCE = Encodings.newLazyEncodingRegistry();

	}

}
