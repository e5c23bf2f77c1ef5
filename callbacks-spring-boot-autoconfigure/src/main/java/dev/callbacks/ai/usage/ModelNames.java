package dev.callbacks.ai.usage;

import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.model.ChatResponse;

/**
 * The name of the model that answered, as trackers and meters key their counts by it: the
 * response's model when it names one model, else the request's. Spring AI 2.0.1's Ollama
 * client merges the chunks of a streamed tool call by concatenating their fields, model
 * included ({@code qwen3:4b} twice gives {@code qwen3:4bqwen3:4b}); a name that is
 * another name repeated is read as that name once, which is what the same model reports
 * in every other round.
 */
public final class ModelNames {

	private ModelNames() {
	}

	/**
	 * The model to account a round to.
	 * @param requested the model the request asked for ({@code ""} when unknown)
	 * @param reported the model the response names, if any
	 */
	public static String answering(String requested, @Nullable String reported) {
		if (reported == null || reported.isEmpty()) {
			return requested;
		}
		if (reported.equals(requested)) {
			return reported;
		}
		int period = repeatedPeriod(reported);
		return (period > 0) ? reported.substring(0, period) : reported;
	}

	/**
	 * {@code response} itself when its model names one model, else a copy whose metadata
	 * names the answering model. Only a response that needs it is copied.
	 */
	public static ChatResponse withAnsweringModel(ChatResponse response, String requested) {
		ChatResponseMetadata metadata = response.getMetadata();
		String reported = metadata.getModel();
		String answering = answering(requested, reported);
		if (answering.equals(reported) || reported.isEmpty()) {
			return response;
		}
		ChatResponseMetadata.Builder copy = ChatResponseMetadata.builder()
			.id(metadata.getId())
			.model(answering)
			.rateLimit(metadata.getRateLimit())
			.usage(metadata.getUsage())
			.promptMetadata(metadata.getPromptMetadata());
		metadata.entrySet().forEach(entry -> copy.keyValue(entry.getKey(), entry.getValue()));
		return new ChatResponse(response.getResults(), copy.build());
	}

	// The length of the unit the name repeats (at least twice), or 0 when it is not a
	// repetition. No allocation: names are checked for every streamed chunk.
	private static int repeatedPeriod(String name) {
		int length = name.length();
		for (int period = 1; period <= length / 2; period++) {
			if (length % period == 0 && name.regionMatches(period, name, 0, length - period)) {
				return period;
			}
		}
		return 0;
	}

}
