package dev.callbacks.demo.web;

import dev.callbacks.demo.model.FlowerCatalogChatModel;

import org.springframework.ai.chat.model.ChatModel;

/**
 * Which model answers.
 *
 * @param model the model name the client asks for
 * @param offline whether it is the built-in, rule-based flower-catalogue model rather
 * than an LLM
 * @param description one sentence for people
 */
public record ModelInfo(String model, boolean offline, String description) {

	static ModelInfo of(ChatModel chatModel) {
		String model = (chatModel.getOptions() != null && chatModel.getOptions().getModel() != null)
				? chatModel.getOptions().getModel() : "";
		if (chatModel instanceof FlowerCatalogChatModel) {
			return new ModelInfo(model, true, "The built-in flower-catalogue model: offline and rule-based, not an "
					+ "LLM. It answers from the shop's catalogue and counts tokens with a real tokenizer (o200k_base).");
		}
		return new ModelInfo(model, false, "An OpenAI-compatible chat model through Spring AI's OpenAI client ("
				+ chatModel.getClass().getSimpleName() + ").");
	}

}
