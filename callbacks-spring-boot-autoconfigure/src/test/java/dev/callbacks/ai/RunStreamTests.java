package dev.callbacks.ai;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RunStream} keeps the semantics of the operator chain it replaces: end handlers
 * before completion, error handlers before the error (their failure suppressed), a failed
 * end fails the stream, cancel once, the run's context upstream.
 */
class RunStreamTests {

	private final List<String> events = new CopyOnWriteArrayList<>();

	private final AtomicInteger cancels = new AtomicInteger();

	@Test
	void elementsAreSeenThenPassedOnAndTheEndIsAwaitedBeforeCompletion() {
		Sinks.Empty<Void> endHandlers = Sinks.empty();
		Flux<String> stream = RunStream.of(Flux.just("a", "b"), (element) -> this.events.add("seen " + element), null,
				() -> {
					this.events.add("end");
					return endHandlers.asMono();
				}, this::error, this.cancels::incrementAndGet);

		StepVerifier.create(stream)
			.expectNext("a", "b")
			.then(() -> assertThat(this.events).containsExactly("seen a", "seen b", "end"))
			.expectNoEvent(Duration.ofMillis(50))
			.then(endHandlers::tryEmitEmpty)
			.expectComplete()
			.verify(Duration.ofSeconds(5));
		assertThat(this.cancels).hasValue(0);
	}

	@Test
	void anErrorWaitsForTheErrorHandlersAndKeepsWhatTheyRaisedAsSuppressed() {
		IllegalStateException failure = new IllegalStateException("model failed");
		Flux<String> stream = RunStream.of(Flux.concat(Flux.just("a"), Flux.error(failure)), null, null, this::end,
				(ex) -> {
					this.events.add("error " + ex.getMessage());
					return Mono.delay(Duration.ofMillis(20)).then(Mono.error(new IllegalArgumentException("handler")));
				}, this.cancels::incrementAndGet);

		StepVerifier.create(stream).expectNext("a").expectErrorSatisfies((ex) -> {
			assertThat(ex).isSameAs(failure);
			assertThat(ex.getSuppressed()).extracting(Throwable::getMessage).containsExactly("handler");
		}).verify(Duration.ofSeconds(5));
		assertThat(this.events).containsExactly("error model failed");
	}

	@Test
	void failingEndHandlersFailTheStreamAfterTheErrorHandlers() {
		Flux<String> stream = RunStream.of(Flux.just("a"), null, null,
				() -> Mono.error(new IllegalStateException("end handler")), this::error, this.cancels::incrementAndGet);

		StepVerifier.create(stream).expectNext("a").expectErrorMessage("end handler").verify(Duration.ofSeconds(5));
		assertThat(this.events).containsExactly("error end handler");
	}

	@Test
	void whatTheElementHookThrowsFailsTheStreamAndCancelsTheSource() {
		AtomicInteger sourceCancels = new AtomicInteger();
		Flux<String> source = Flux.just("a", "b", "c").doOnCancel(sourceCancels::incrementAndGet);
		Flux<String> stream = RunStream.of(source, (element) -> {
			if (element.equals("b")) {
				throw new IllegalStateException("token handler");
			}
		}, null, this::end, this::error, this.cancels::incrementAndGet);

		StepVerifier.create(stream).expectNext("a").expectErrorMessage("token handler").verify(Duration.ofSeconds(5));
		assertThat(this.events).containsExactly("error token handler");
		assertThat(sourceCancels).hasValue(1);
		assertThat(this.cancels).hasValue(0);
	}

	@Test
	void cancelCallsTheCancelHandlerOnceAndCancelsTheSource() {
		AtomicInteger sourceCancels = new AtomicInteger();
		Flux<Long> source = Flux.interval(Duration.ofMillis(5)).doOnCancel(sourceCancels::incrementAndGet);
		Flux<Long> stream = RunStream.of(source, null, null, this::end, this::error, this.cancels::incrementAndGet);

		StepVerifier.create(stream).expectNext(0L, 1L).thenCancel().verify(Duration.ofSeconds(5));
		assertThat(this.cancels).hasValue(1);
		assertThat(sourceCancels).hasValue(1);
		assertThat(this.events).isEmpty();
	}

	@Test
	void cancelWhileTheEndHandlersRunStopsWaitingForThem() {
		AtomicInteger handlerCancels = new AtomicInteger();
		Flux<String> stream = RunStream.of(Flux.just("a"), null, null,
				() -> Mono.<Void>never().doOnCancel(handlerCancels::incrementAndGet), this::error,
				this.cancels::incrementAndGet);

		StepVerifier.create(stream)
			.expectNext("a")
			.expectNoEvent(Duration.ofMillis(30))
			.thenCancel()
			.verify(Duration.ofSeconds(5));
		assertThat(this.cancels).hasValue(1);
		assertThat(handlerCancels).hasValue(1);
	}

	@Test
	void theSourceIsSubscribedWithTheRunsContext() {
		List<String> seenInContext = new ArrayList<>();
		Flux<String> source = Flux.deferContextual((context) -> {
			seenInContext.add(context.getOrDefault("run", "none"));
			return Flux.just("a");
		});
		Flux<String> stream = RunStream.of(source, null, (context) -> context.put("run", "chain-1"), this::end,
				this::error, this.cancels::incrementAndGet);

		StepVerifier.create(stream).expectNext("a").expectComplete().verify(Duration.ofSeconds(5));
		assertThat(seenInContext).containsExactly("chain-1");
	}

	private Mono<Void> end() {
		this.events.add("end");
		return Mono.empty();
	}

	private Mono<Void> error(Throwable ex) {
		this.events.add("error " + ex.getMessage());
		return Mono.empty();
	}

}
