package dev.callbacks.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import dev.callbacks.RunCancelledException;
import dev.callbacks.event.CallbackEvent;
import dev.callbacks.event.CustomEvent;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * One node of a run tree: a chain ({@code ChatClient} call), an LLM round trip, a tool
 * execution, a retrieval or an embedding call. Created and driven by the Spring AI
 * adapter; handlers only see its id in events.
 * <p>
 * Lifecycle methods deliver their event at once to synchronous handlers and return what
 * is left for async ones ({@code Mono.empty()} when nothing is). Every run delivers
 * exactly one end or error: whichever comes first wins and later ones are dropped.
 */
public abstract sealed class Run permits ChainRun, LlmRun, ToolRun, RetrieverRun, EmbeddingRun {

	/** Reactor-context and context-propagation key of the current run. */
	public static final String CONTEXT_KEY = RunScope.CONTEXT_KEY;

	private static final VarHandle FINISHED;

	static {
		try {
			FINISHED = MethodHandles.lookup().findVarHandle(Run.class, "finished", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	final Dispatcher dispatcher;

	final HandlerSet handlers;

	final UUID id;

	final @Nullable UUID parentId;

	final String name;

	final List<String> tags;

	final Map<String, Object> metadata;

	// Whether the run's events are delivered from reactive operators (sync handlers may
	// be offloaded then).
	final boolean reactive;

	@SuppressWarnings("unused") // through FINISHED
	private volatile int finished;

	Run(Dispatcher dispatcher, HandlerSet handlers, @Nullable UUID parentId, String name, List<String> tags,
			Map<String, Object> metadata, boolean reactive) {
		this.dispatcher = dispatcher;
		this.handlers = handlers;
		this.id = Ids.next();
		this.parentId = parentId;
		this.name = name;
		this.tags = tags;
		this.metadata = metadata;
		this.reactive = reactive;
	}

	/** The run's id, as in its events. */
	public UUID id() {
		return this.id;
	}

	/** The parent run's id; {@code null} for a chain run. */
	public @Nullable UUID parentId() {
		return this.parentId;
	}

	/** The run's name. */
	public String name() {
		return this.name;
	}

	/** The chain run at the root of this run's tree. */
	public abstract ChainRun chain();

	/** Whether the run has delivered its end or error. */
	public boolean isFinished() {
		return this.finished != 0;
	}

	/**
	 * Makes this the current thread's run until the scope is closed, so that code running
	 * inside it (tools, retrievers, custom events) finds its parent.
	 */
	public Scope makeCurrent() {
		return RunScope.open(this);
	}

	/**
	 * Claims the single end-or-error of this run; {@code false} when it was already
	 * delivered.
	 */
	final boolean finish() {
		if (!FINISHED.compareAndSet(this, 0, 1)) {
			return false;
		}
		finished();
		return true;
	}

	/** Called once, when the run has claimed its end or error. */
	void finished() {
	}

	final boolean listens(EventKind kind) {
		return this.handlers.listens(kind);
	}

	final Mono<Void> emit(EventKind kind, CallbackEvent event) {
		Mono<Void> pending = this.dispatcher.dispatch(this, kind, event);
		return (pending != null) ? pending : Mono.empty();
	}

	/**
	 * Hands the end or error this run has claimed ({@link #finish()}) to the handlers
	 * that listen to {@code kind}, then calls {@link #delivered()}, whether or not one
	 * listened.
	 */
	final Mono<Void> deliverEnd(EventKind kind, Supplier<? extends CallbackEvent> event) {
		try {
			return listens(kind) ? emit(kind, event.get()) : Mono.empty();
		}
		finally {
			delivered();
		}
	}

	/**
	 * Called once the run's end or error is with the handlers (after
	 * {@link #deliverEnd}).
	 */
	void delivered() {
	}

	/** Delivers the run's error event (nothing if the run has already ended). */
	public abstract Mono<Void> error(Throwable error);

	/**
	 * For blocking callers that are about to rethrow {@code error}: delivers the error
	 * event and waits for async handlers. A raising handler's own failure is added to
	 * {@code error} as suppressed: the call's error is what the caller needs to see.
	 */
	public final void failed(Throwable error) {
		try {
			Dispatcher.await(error(error));
		}
		catch (RuntimeException handlerError) {
			if (handlerError != error) {
				error.addSuppressed(handlerError);
			}
		}
	}

	/**
	 * Ends the run as cancelled; what is left pending for async handlers is not awaited
	 * by anyone.
	 */
	Mono<Void> cancelled(String reason) {
		return error(new RunCancelledException(reason));
	}

	/** The run the current thread works for, if any. */
	public static @Nullable Run current() {
		return RunScope.current();
	}

	/** Delivers a custom event as a child of this run. */
	public final Mono<Void> dispatchCustom(String eventName, @Nullable Object data) {
		if (!listens(EventKind.CUSTOM)) {
			return Mono.empty();
		}
		return emit(EventKind.CUSTOM,
				new CustomEvent(Ids.next(), this.id, eventName, this.tags, this.metadata, eventName, data));
	}

	// Cancellation has no subscriber left to wait for its events: async handlers run on,
	// unawaited.
	static void detach(Mono<Void> pending) {
		if (pending != Mono.<Void>empty()) {
			pending.subscribe(null, ex -> {
			});
		}
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.name + ", " + this.id + "]";
	}

	/** A {@link #makeCurrent()} scope; closing it restores the previous run. */
	@FunctionalInterface
	public interface Scope extends AutoCloseable {

		@Override
		void close();

	}

}
