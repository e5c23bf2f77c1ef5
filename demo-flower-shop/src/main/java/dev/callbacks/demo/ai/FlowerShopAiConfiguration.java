package dev.callbacks.demo.ai;

import dev.callbacks.Callbacks;
import dev.callbacks.demo.FlowerShopProperties;
import dev.callbacks.demo.catalog.FlowerCatalog;
import dev.callbacks.demo.catalog.FlowerTools;
import dev.callbacks.demo.model.FlowerCatalogChatModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.memory.InMemoryChatMemoryRepository;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.model.SpringAIModelProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The shop's chat clients, tools and memory, and the offline model when no OpenAI
 * endpoint is configured.
 * <p>
 * The clients are built from Spring AI's auto-configured {@code ChatClient.Builder}, so
 * the callbacks starter has already given them every handler bean; all this adds is a
 * name for the runs (and the {@code client} tag of the {@code llm.*} meters).
 */
@Configuration(proxyBeanMethods = false)
public class FlowerShopAiConfiguration {

	/** Name of the customer-service client's runs. */
	public static final String SHOP_CLIENT = "flower_shop";

	/** Name of the summary-memory client's runs. */
	public static final String SUMMARY_CLIENT = "summary_memory";

	/** What the shop tells the model about its job. */
	public static final String SYSTEM_PROMPT = """
			You are the customer service assistant of a small flower shop. Suggest flowers for the customer's \
			occasion, say what they mean, and use the tools to check stock and quote prices. Keep answers short \
			and friendly.""";

	private static final Logger logger = LoggerFactory.getLogger(FlowerShopAiConfiguration.class);

	@Bean
	FlowerCatalog flowerCatalog() {
		return FlowerCatalog.load();
	}

	@Bean
	FlowerTools flowerTools(FlowerCatalog catalog) {
		return new FlowerTools(catalog);
	}

	@Bean
	@ConditionalOnProperty(name = SpringAIModelProperties.CHAT_MODEL, havingValue = ChatModelSelection.FLOWER_CATALOG)
	FlowerCatalogChatModel flowerCatalogChatModel(FlowerCatalog catalog, FlowerShopProperties properties) {
		logger.info(
				"No OpenAI API key or base URL: answering with the offline, rule-based flower-catalogue model "
						+ "'{}' (not an LLM; usage counted with the o200k_base tokenizer)",
				FlowerCatalogChatModel.MODEL);
		return new FlowerCatalogChatModel(catalog, properties.getTokenDelay());
	}

	@Bean
	ChatMemoryRepository chatMemoryRepository() {
		return new InMemoryChatMemoryRepository();
	}

	/** The memory of {@code /api/chat} conversations: the last messages of each. */
	@Bean
	ChatMemory chatMemory(ChatMemoryRepository repository, FlowerShopProperties properties) {
		return MessageWindowChatMemory.builder()
			.chatMemoryRepository(repository)
			.maxMessages(properties.getChatMemoryMessages())
			.build();
	}

	/** The customer-service client: system prompt and the stock and price tools. */
	@Bean
	ChatClient shopChatClient(ChatClient.Builder builder, FlowerTools tools) {
		return builder.defaultSystem(SYSTEM_PROMPT)
			.defaultTools(tools)
			.defaultAdvisors(Callbacks.handlers().name(SHOP_CLIENT))
			.build();
	}

	/** A plain client for summary memory's summaries: no system prompt, no tools. */
	@Bean
	ChatClient summaryChatClient(ChatClient.Builder builder) {
		return builder.defaultAdvisors(Callbacks.handlers().name(SUMMARY_CLIENT)).build();
	}

}
