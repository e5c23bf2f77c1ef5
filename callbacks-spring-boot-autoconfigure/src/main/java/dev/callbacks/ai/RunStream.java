package dev.callbacks.ai;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * A run's life around a stream, as one operator: each element seen, the run in the
 * context of what subscribes upstream, the end handlers awaited before the stream
 * completes, the error handlers before it fails, the cancel handler when the subscriber
 * cancels. The same as {@code doOnNext(seen).contextWrite(context)
 * .concatWith(end).onErrorResume(error handlers, then the error).doOnCancel(cancel)},
 * except that a cancel reaches the source before the cancel hook runs; with one hop per
 * chunk instead of five: Spring AI's stream path already hands every chunk through dozens
 * of operators, and a chain run and each of its rounds each add this.
 *
 * @param <T> the element type
 */
final class RunStream<T> extends Flux<T> {

	private final Flux<T> source;

	private final @Nullable Consumer<? super T> seen;

	private final @Nullable Function<Context, Context> context;

	private final Supplier<Mono<Void>> end;

	private final Function<Throwable, Mono<Void>> error;

	private final Runnable cancel;

	private RunStream(Flux<T> source, @Nullable Consumer<? super T> seen, @Nullable Function<Context, Context> context,
			Supplier<Mono<Void>> end, Function<Throwable, Mono<Void>> error, Runnable cancel) {
		this.source = source;
		this.seen = seen;
		this.context = context;
		this.end = end;
		this.error = error;
		this.cancel = cancel;
	}

	/**
	 * {@code source} with a run's life around it.
	 * @param seen called with each element before it is passed on; what it throws fails
	 * the stream
	 * @param context what the run adds to the context {@code source} is subscribed with
	 * @param end the end handlers, awaited before completion; their failure fails the
	 * stream as the source's own failure would
	 * @param error the error handlers, awaited before the error is passed on; their own
	 * failure is added to it as suppressed
	 * @param cancel called when the subscriber cancels before the stream terminated, once
	 * the source is cancelled (so that runs inside it end first)
	 */
	static <T> Flux<T> of(Flux<T> source, @Nullable Consumer<? super T> seen,
			@Nullable Function<Context, Context> context, Supplier<Mono<Void>> end,
			Function<Throwable, Mono<Void>> error, Runnable cancel) {
		return onAssembly(new RunStream<>(source, seen, context, end, error, cancel));
	}

	@Override
	public void subscribe(CoreSubscriber<? super T> actual) {
		this.source.subscribe(new RunSubscriber<>(actual, this));
	}

	private static final class RunSubscriber<T> implements CoreSubscriber<T>, Subscription, Scannable {

		private static final int ACTIVE = 0;

		// The source has terminated; the end or error handlers run.
		private static final int ENDING = 1;

		private static final int DONE = 2;

		private static final int CANCELLED = 3;

		@SuppressWarnings("rawtypes")
		private static final AtomicIntegerFieldUpdater<RunSubscriber> STATE = AtomicIntegerFieldUpdater
			.newUpdater(RunSubscriber.class, "state");

		private final CoreSubscriber<? super T> actual;

		private final RunStream<T> parent;

		private final Context context;

		private @Nullable Subscription upstream;

		private volatile int state;

		private volatile @Nullable Disposable handlers;

		RunSubscriber(CoreSubscriber<? super T> actual, RunStream<T> parent) {
			this.actual = actual;
			this.parent = parent;
			Function<Context, Context> context = parent.context;
			this.context = (context != null) ? context.apply(actual.currentContext()) : actual.currentContext();
		}

		@Override
		public Context currentContext() {
			return this.context;
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			if (Operators.validate(this.upstream, subscription)) {
				this.upstream = subscription;
				this.actual.onSubscribe(this);
			}
		}

		@Override
		public void onNext(T element) {
			if (this.state != ACTIVE) {
				Operators.onNextDropped(element, this.context);
				return;
			}
			Consumer<? super T> seen = this.parent.seen;
			if (seen != null) {
				try {
					seen.accept(element);
				}
				catch (Throwable ex) {
					onError(Operators.onOperatorError(this.upstream, ex, element, this.context));
					return;
				}
			}
			this.actual.onNext(element);
		}

		@Override
		public void onError(Throwable ex) {
			if (!STATE.compareAndSet(this, ACTIVE, ENDING)) {
				if (this.state != CANCELLED) {
					Operators.onErrorDropped(ex, this.context);
				}
				// Cancelled: the work's late failure (a tool interrupted by the cancel)
				// has nobody to go to, and the run has ended already.
				return;
			}
			fail(ex);
		}

		@Override
		public void onComplete() {
			if (!STATE.compareAndSet(this, ACTIVE, ENDING)) {
				return;
			}
			Mono<Void> end;
			try {
				end = this.parent.end.get();
			}
			catch (Throwable ex) {
				end = Mono.error(ex);
			}
			// End handlers that fail fail the stream, as the source failing would.
			await(end, this::complete, this::fail);
		}

		// The error handlers, then the error, with what they raised added to it.
		private void fail(Throwable ex) {
			Mono<Void> handled;
			try {
				handled = this.parent.error.apply(ex);
			}
			catch (Throwable handlerError) {
				handled = Mono.error(handlerError);
			}
			await(handled, () -> terminate(ex), (handlerError) -> {
				if (handlerError != ex) {
					ex.addSuppressed(handlerError);
				}
				terminate(ex);
			});
		}

		private void await(Mono<Void> work, Runnable then, Consumer<Throwable> failed) {
			if (work == Mono.<Void>empty()) {
				// Sync handlers only: nothing to wait for.
				then.run();
				return;
			}
			// With the subscriber's context, as the operators this replaces subscribed
			// them.
			Disposable running = work.subscribe(null, failed, then, this.actual.currentContext());
			this.handlers = running;
			if (this.state == CANCELLED) {
				running.dispose();
			}
		}

		private void complete() {
			if (STATE.compareAndSet(this, ENDING, DONE)) {
				this.actual.onComplete();
			}
		}

		private void terminate(Throwable ex) {
			if (STATE.compareAndSet(this, ENDING, DONE)) {
				this.actual.onError(ex);
			}
		}

		@Override
		public void request(long n) {
			Subscription upstream = this.upstream;
			if (upstream != null) {
				upstream.request(n);
			}
		}

		@Override
		public void cancel() {
			int state = this.state;
			if ((state == ACTIVE || state == ENDING) && STATE.compareAndSet(this, state, CANCELLED)) {
				// Upstream first: the runs inside (a chain's model rounds) end before
				// this
				// one, as they would have completed before it.
				Subscription upstream = this.upstream;
				if (upstream != null) {
					upstream.cancel();
				}
				Disposable running = this.handlers;
				if (running != null) {
					running.dispose();
				}
				try {
					this.parent.cancel.run();
				}
				catch (Throwable ex) {
					Operators.onErrorDropped(ex, this.context);
				}
			}
		}

		@Override
		public @Nullable Object scanUnsafe(Attr key) {
			if (key == Attr.PARENT) {
				return this.upstream;
			}
			if (key == Attr.ACTUAL) {
				return this.actual;
			}
			if (key == Attr.TERMINATED) {
				return this.state == DONE;
			}
			if (key == Attr.CANCELLED) {
				return this.state == CANCELLED;
			}
			if (key == Attr.RUN_STYLE) {
				return Attr.RunStyle.SYNC;
			}
			return null;
		}

	}

}
