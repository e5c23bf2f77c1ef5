package dev.callbacks.ai;

import dev.callbacks.internal.ChainRun;
import dev.callbacks.internal.ToolRun;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.metadata.ToolMetadata;

/**
 * A tool of one chain run: each execution is a tool run, current while the tool runs so
 * that custom events and retrievals inside it are its children. Tools are blocking by
 * contract, so async handlers are awaited here.
 */
final class CallbackToolCallback implements ToolCallback {

	private final ToolCallback delegate;

	private final ChainRun chain;

	CallbackToolCallback(ToolCallback delegate, ChainRun chain) {
		this.delegate = delegate;
		this.chain = chain;
	}

	@Override
	public ToolDefinition getToolDefinition() {
		return this.delegate.getToolDefinition();
	}

	@Override
	public ToolMetadata getToolMetadata() {
		return this.delegate.getToolMetadata();
	}

	@Override
	public String call(String toolInput) {
		return call(toolInput, null);
	}

	@Override
	public String call(String toolInput, @Nullable ToolContext toolContext) {
		if (this.chain.isFinished()) {
			// The chain was cancelled while the model's answer was being handled: nothing
			// to report to.
			return this.delegate.call(toolInput, toolContext);
		}
		ToolRun run = this.chain.newToolRun(this.delegate.getToolDefinition().name(), toolInput);
		return Lifecycles.blocking(run, run.start(), () -> this.delegate.call(toolInput, toolContext),
				(output) -> run.end((output != null) ? output : ""));
	}

	@Override
	public String toString() {
		return "CallbackToolCallback[" + this.delegate + "]";
	}

}
