package dev.callbacks.demo.handlers;

import java.time.Duration;

import dev.callbacks.AsyncCallbackHandler;
import dev.callbacks.event.CallbackEvent;
import dev.callbacks.event.ChatModelStartEvent;
import dev.callbacks.event.LlmEndEvent;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;

/**
 * The lesson's asynchronous handler: before each model call it "fetches flower data",
 * after it "sends a thank-you note", each taking a while. The wait is a Reactor timer
 * ({@code Mono.delay}), never a sleep: the model call waits for the handler, but no
 * thread does, so other customers are served meanwhile.
 */
public class FlowerShopAsyncHandler implements AsyncCallbackHandler {

	private final Duration delay;

	/**
	 * Create the handler.
	 * @param delay how long each of its two steps takes
	 */
	public FlowerShopAsyncHandler(Duration delay) {
		Assert.notNull(delay, "delay must not be null");
		Assert.isTrue(!delay.isNegative(), "delay must not be negative");
		this.delay = delay;
	}

	@Override
	public Mono<Void> onChatModelStart(ChatModelStartEvent event) {
		return step(event, "Fetching flower data...", "Flower data fetched. Preparing suggestions...");
	}

	@Override
	public Mono<Void> onLlmEnd(LlmEndEvent event) {
		return step(event, "Tidying up the flower suggestions...", "Thank-you note sent. Have a lovely day!");
	}

	private Mono<Void> step(CallbackEvent event, String before, String after) {
		return Mono.fromRunnable(() -> print(event, before))
			.then(Mono.delay(this.delay))
			.then(Mono.fromRunnable(() -> print(event, after)));
	}

	private static void print(CallbackEvent event, String text) {
		// The end of the run id (its start is a timestamp) tells concurrent calls apart;
		// the thread shows that nothing waited on a request thread.
		String runId = event.runId().toString();
		System.out.println("[async " + runId.substring(runId.length() - 6) + " on " + Thread.currentThread().getName()
				+ "] " + text);
	}

}
