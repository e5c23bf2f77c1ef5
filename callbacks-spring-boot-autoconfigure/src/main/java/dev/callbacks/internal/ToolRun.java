package dev.callbacks.internal;

import dev.callbacks.ToolRunRecord;
import dev.callbacks.event.ToolEndEvent;
import dev.callbacks.event.ToolErrorEvent;
import dev.callbacks.event.ToolStartEvent;
import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * One tool execution: a child of the chain run. Tools run blocking (Spring AI executes
 * them on the caller's thread or on a bounded-elastic one), so the adapter waits for
 * async handlers here.
 */
public final class ToolRun extends Run {

	private final ChainRun chain;

	private final String input;

	private final long startNanos = System.nanoTime();

	private final @Nullable TokenUsage askingRoundUsage;

	ToolRun(ChainRun chain, String toolName, String input) {
		super(chain.dispatcher, chain.handlers, chain.id, toolName, chain.tags, chain.metadata, false);
		this.chain = chain;
		this.input = input;
		this.askingRoundUsage = chain.usageOfTheRoundAskingForOneTool();
	}

	@Override
	public ChainRun chain() {
		return this.chain;
	}

	/** Delivers the tool start with the model's arguments. */
	public Mono<Void> start() {
		if (!listens(EventKind.TOOL_START)) {
			return Mono.empty();
		}
		return emit(EventKind.TOOL_START,
				new ToolStartEvent(this.id, this.parentId, this.name, this.tags, this.metadata, this.name, this.input));
	}

	/** Delivers the tool end with its result. */
	public Mono<Void> end(String output) {
		if (!finish()) {
			return Mono.empty();
		}
		observe(true);
		return deliverEnd(EventKind.TOOL_END,
				() -> new ToolEndEvent(this.id, this.parentId, this.name, this.tags, this.metadata, this.name, output));
	}

	// Leaves the chain's active children once its end is with the handlers: a chain
	// cancelled meanwhile delivers its own error after it.
	@Override
	void delivered() {
		this.chain.childFinished(this);
	}

	private void observe(boolean success) {
		if (this.chain.accounting.hasObservers()) {
			this.chain.accounting.toolEnded(new ToolRunRecord(this.id, this.chain.id, this.chain.name, this.name,
					success, System.nanoTime() - this.startNanos, this.askingRoundUsage));
		}
	}

	/** Delivers the tool error. */
	@Override
	public Mono<Void> error(Throwable error) {
		if (!finish()) {
			return Mono.empty();
		}
		observe(false);
		return deliverEnd(EventKind.TOOL_ERROR, () -> new ToolErrorEvent(this.id, this.parentId, this.name, this.tags,
				this.metadata, this.name, error));
	}

}
