package dev.callbacks;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.util.Assert;

/**
 * Entry points: register handlers on a client or a request, and dispatch custom events
 * from inside a run.
 *
 * <pre class="code">
 * chatClient.prompt("Which flowers suit a birthday?")
 *     .advisors(Callbacks.handlers(new MyHandler()).tags("birthday"))
 *     .call()
 *     .content();
 * </pre>
 */
public final class Callbacks {

	private Callbacks() {
	}

	/**
	 * Handlers for a client ({@code builder.defaultAdvisors(Callbacks.handlers(…))}) or a
	 * request ({@code prompt().advisors(Callbacks.handlers(…))}). Sync and async handlers
	 * may be mixed; they are called in {@code @Order} order, after the global handlers
	 * and, for requests, after the client's.
	 */
	public static CallbackConfig handlers(BaseCallbackHandler... handlers) {
		Assert.notNull(handlers, "handlers must not be null");
		Assert.noNullElements(handlers, "handlers must not contain null elements");
		return new CallbackConfig(Arrays.asList(handlers));
	}

	/**
	 * Delivers {@code onCustomEvent} to the handlers of the current run (for example,
	 * from inside a tool), as a child of that run. Waits for async handlers unless called
	 * on a non-blocking thread, where they run on without being awaited.
	 * <p>
	 * Outside a run it does nothing (logged at DEBUG). Unlike LangChain, which raises
	 * there, this keeps tool code that dispatches events working when nothing listens: a
	 * call whose handlers ignore custom events does not track the run inside its tools at
	 * all.
	 */
	public static void dispatchCustomEvent(String name, @Nullable Object data) {
		Assert.hasText(name, "custom event name must not be null or blank");
		Mono<Void> pending = CallbacksProvider.get().dispatchCustomEvent(name, data, null);
		if (pending == Mono.<Void>empty()) {
			return;
		}
		if (Schedulers.isInNonBlockingThread()) {
			pending.subscribe(null, ex -> {
			});
		}
		else {
			pending.block();
		}
	}

	/**
	 * Reactive {@link #dispatchCustomEvent(String, Object)}: finds the run in the
	 * subscriber's Reactor context (or the current thread) and completes when every
	 * handler has.
	 */
	public static Mono<Void> dispatchCustomEventAsync(String name, @Nullable Object data) {
		Assert.hasText(name, "custom event name must not be null or blank");
		return Mono.deferContextual(context -> CallbacksProvider.get().dispatchCustomEvent(name, data, context));
	}

}
