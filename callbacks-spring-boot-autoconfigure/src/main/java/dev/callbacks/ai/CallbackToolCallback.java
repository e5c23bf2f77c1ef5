package dev.callbacks.ai;

import dev.callbacks.CallbackManager;
import dev.callbacks.ChainRun;
import dev.callbacks.Run;
import dev.callbacks.ToolRun;
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
		CallbackManager.await(run.start());
		String output;
		try (Run.Scope scope = run.makeCurrent()) {
			output = this.delegate.call(toolInput, toolContext);
		}
		catch (RuntimeException | Error ex) {
			run.failed(ex);
			throw ex;
		}
		CallbackManager.await(run.end((output != null) ? output : ""));
		return output;
	}

	@Override
	public String toString() {
		return "CallbackToolCallback[" + this.delegate + "]";
	}

}
