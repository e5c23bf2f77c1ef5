package dev.callbacks.ai;

import java.util.function.Function;
import java.util.function.Supplier;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Wraps a run around a {@link Flux}: the start is awaited before the body is subscribed,
 * the end before the flux completes, the error before it errors; a cancel ends the run
 * without waiting (there is nobody left to wait for).
 */
final class RunLifecycle {

	private RunLifecycle() {
	}

	static <T> Flux<T> around(Mono<Void> start, Flux<T> body, Supplier<Mono<Void>> end,
			Function<Throwable, Mono<Void>> error, Runnable cancel) {
		Flux<T> started = (start == Mono.<Void>empty()) ? body : start.thenMany(body);
		return started.concatWith(Mono.defer(end).then(Mono.empty()))
			.onErrorResume(ex -> Mono.defer(() -> error.apply(ex)).onErrorResume(handlerError -> {
				// A raising handler failed on the error event: keep the call's own error,
				// note the handler's.
				if (handlerError != ex) {
					ex.addSuppressed(handlerError);
				}
				return Mono.empty();
			}).then(Mono.error(ex)))
			.doOnCancel(cancel);
	}

}
