package dev.callbacks;

import java.util.List;
import java.util.ServiceLoader;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

import org.springframework.ai.chat.client.advisor.api.Advisor;

/**
 * Service-provider interface between the public API and what runs it (the Spring AI
 * adapter, found with {@link ServiceLoader}), so that the API does not depend on the
 * engine. Not for application code.
 */
public interface CallbacksProvider {

	/** The advisors that apply {@code level} to a client or a request. */
	List<Advisor> advisors(CallbackConfig.Snapshot level);

	/**
	 * Delivers a custom event to the handlers of the current run (found in
	 * {@code reactorContext}, else on this thread); empty outside a run.
	 */
	Mono<Void> dispatchCustomEvent(String name, @Nullable Object data, @Nullable ContextView reactorContext);

	/** The provider on the class path. */
	static CallbacksProvider get() {
		return Holder.INSTANCE;
	}

	/** Loaded once, on first use. */
	final class Holder {

		static final CallbacksProvider INSTANCE = ServiceLoader
			.load(CallbacksProvider.class, CallbacksProvider.class.getClassLoader())
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No " + CallbacksProvider.class.getName()
					+ " on the class path: add callbacks-spring-boot-autoconfigure"));

		private Holder() {
		}

	}

}
