package dev.callbacks.demo;

import java.time.Duration;

import dev.callbacks.demo.model.FlowerCatalogChatModel;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the demo ({@code flower-shop.*}).
 */
@ConfigurationProperties("flower-shop")
public class FlowerShopProperties {

	/**
	 * Delay between the tokens the offline model streams, so that streaming is visible.
	 */
	private Duration tokenDelay = FlowerCatalogChatModel.DEFAULT_TOKEN_DELAY;

	/**
	 * How long the async handler "fetches flower data" at the start of each model call
	 * and "sends a thank-you note" at its end; a timer, no thread waits.
	 */
	private Duration asyncHandlerDelay = Duration.ofMillis(500);

	/**
	 * Messages window memory keeps: 2 is the last exchange, like LangChain's
	 * ConversationBufferWindowMemory(k=1).
	 */
	private int windowMessages = 2;

	/**
	 * Messages the chat endpoints remember per conversation.
	 */
	private int chatMemoryMessages = 20;

	/**
	 * Most requests /api/concurrent runs at once.
	 */
	private int maxConcurrent = 10;

	public Duration getTokenDelay() {
		return this.tokenDelay;
	}

	public void setTokenDelay(Duration tokenDelay) {
		this.tokenDelay = tokenDelay;
	}

	public Duration getAsyncHandlerDelay() {
		return this.asyncHandlerDelay;
	}

	public void setAsyncHandlerDelay(Duration asyncHandlerDelay) {
		this.asyncHandlerDelay = asyncHandlerDelay;
	}

	public int getWindowMessages() {
		return this.windowMessages;
	}

	public void setWindowMessages(int windowMessages) {
		this.windowMessages = windowMessages;
	}

	public int getChatMemoryMessages() {
		return this.chatMemoryMessages;
	}

	public void setChatMemoryMessages(int chatMemoryMessages) {
		this.chatMemoryMessages = chatMemoryMessages;
	}

	public int getMaxConcurrent() {
		return this.maxConcurrent;
	}

	public void setMaxConcurrent(int maxConcurrent) {
		this.maxConcurrent = maxConcurrent;
	}

}
