package dev.callbacks.ai;

import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.callbacks.internal.Dispatcher;
import dev.callbacks.internal.Run;
import reactor.core.publisher.Flux;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * The life of a run around the work it observes, written once for each shape of work:
 * blocking ({@code call()}, tools, retrievals) and streaming ({@code stream()}). The
 * start is awaited before the work, the end after it, the error instead of it; the run is
 * current while the work runs, so that nested runs find their parent.
 */
final class Lifecycles {

	private Lifecycles() {
	}

	/**
	 * Runs {@code body} as {@code run}: waits for the start handlers, makes the run
	 * current, then waits for the end handlers of its result, or delivers its error and
	 * rethrows it.
	 */
	static <T> T blocking(Run run, Mono<Void> start, Supplier<T> body, Function<T, Mono<Void>> end) {
		Dispatcher.await(start);
		T result;
		try (Run.Scope scope = run.makeCurrent()) {
			result = body.get();
		}
		catch (RuntimeException | Error ex) {
			run.failed(ex);
			throw ex;
		}
		Dispatcher.await(end.apply(result));
		return result;
	}

	/**
	 * Wraps a run around a {@link Flux}: the start is awaited before the body is
	 * subscribed, the end before the flux completes, the error before it errors; a cancel
	 * ends the run without waiting (there is nobody left to wait for).
	 * @param seen called with each element of the body, if given
	 * @param context what the run adds to the body's context, if anything
	 */
	static <T> Flux<T> streaming(Mono<Void> start, Flux<T> body, @Nullable Consumer<? super T> seen,
			@Nullable Function<Context, Context> context, Supplier<Mono<Void>> end,
			Function<Throwable, Mono<Void>> error, Runnable cancel) {
		if (start == Mono.<Void>empty()) {
			return RunStream.of(body, seen, context, end, error, cancel);
		}
		// Async start handlers: the body, seen and in its context, once they are done.
		Flux<T> inner = body;
		if (seen != null) {
			inner = inner.doOnNext(seen);
		}
		if (context != null) {
			inner = inner.contextWrite(context);
		}
		return RunStream.of(start.thenMany(inner), null, null, end, error, cancel);
	}

}
