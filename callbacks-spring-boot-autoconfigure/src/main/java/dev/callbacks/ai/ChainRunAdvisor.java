package dev.callbacks.ai;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.callbacks.CallbackManager;
import dev.callbacks.ChainRun;
import dev.callbacks.Run;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisor;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.core.Ordered;

/**
 * Turns one {@code ChatClient} {@code call()} or {@code stream()} into a chain run. Ordered first, so it sees the
 * whole exchange once — memory, retrieval and every tool round happen inside it — and wraps the request's tools so
 * that each execution becomes a tool run.
 * <p>
 * It may sit in a chain more than once (the auto-configuration and a {@code CallbackConfig} both add it): the
 * first one runs, the others see the chain run in the request context and step aside.
 */
public final class ChainRunAdvisor implements CallAdvisor, StreamAdvisor {

	/** The one instance; it is stateless. */
	public static final ChainRunAdvisor INSTANCE = new ChainRunAdvisor();

	/** Request-context key of the chain run, for the advisors and decorators inside it. */
	public static final String CHAIN_RUN_KEY = "dev.callbacks.chain-run";

	private ChainRunAdvisor() {
	}

	@Override
	public String getName() {
		return "CallbacksChainRunAdvisor";
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
		if (request.context().get(CHAIN_RUN_KEY) != null) {
			return chain.nextCall(request);
		}
		ChainRun run = CallbackManager.from(request.context()).newChainRun(request.context(), null, false);
		if (run.isInert()) {
			return chain.nextCall(request);
		}
		ChatClientRequest inner = enter(request, run);
		CallbackManager.await(run.start(request.prompt().getInstructions()));
		ChatClientResponse response;
		try (Run.Scope scope = run.makeCurrent()) {
			response = chain.nextCall(inner);
		}
		catch (RuntimeException | Error ex) {
			try {
				CallbackManager.await(run.error(ex));
			}
			catch (RuntimeException handlerError) {
				ex.addSuppressed(handlerError);
			}
			throw ex;
		}
		CallbackManager.await(run.end(run.wantsOutput() ? textOf(response.chatResponse()) : null));
		return response;
	}

	@Override
	public Flux<ChatClientResponse> adviseStream(ChatClientRequest request, StreamAdvisorChain chain) {
		if (request.context().get(CHAIN_RUN_KEY) != null) {
			return chain.nextStream(request);
		}
		return Flux.deferContextual(reactorContext -> {
			ChainRun run = CallbackManager.from(request.context()).newChainRun(request.context(), reactorContext,
					true);
			if (run.isInert()) {
				return chain.nextStream(request);
			}
			ChatClientRequest inner = enter(request, run);
			StringBuilder output = run.wantsOutput() ? new StringBuilder() : null;
			Flux<ChatClientResponse> body = chain.nextStream(inner);
			if (output != null) {
				body = body.doOnNext(response -> {
					String text = textOf(response.chatResponse());
					if (text != null) {
						output.append(text);
					}
				});
			}
			// Code inside the stream (retrievers, custom events) finds the run through the Reactor context, and
			// through the thread when automatic context propagation is on.
			body = body.contextWrite(context -> context.put(Run.CONTEXT_KEY, run));
			return RunLifecycle.around(run.start(request.prompt().getInstructions()), body,
					() -> run.end((output != null) ? output.toString() : null), run::error, run::cancel);
		});
	}

	private static ChatClientRequest enter(ChatClientRequest request, ChainRun run) {
		Prompt prompt = request.prompt();
		if (run.wantsToolRuns()) {
			Prompt withTools = wrapTools(prompt, run);
			if (withTools != null) {
				prompt = withTools;
			}
		}
		return withContext(request, prompt, CHAIN_RUN_KEY, run);
	}

	/**
	 * A copy of {@code request} with one more context entry. Not {@code request.mutate()}, which deep-copies every
	 * message; and not a put into the request's own context, which outer advisors may pass down more than once
	 * (a retrying advisor): each pass must get runs of its own.
	 */
	static ChatClientRequest withContext(ChatClientRequest request, Prompt prompt, String key, Object value) {
		return ChatClientRequest.builder().prompt(prompt).context(request.context()).context(key, value).build();
	}

	// Every tool of the request is wrapped for this run only; the model still sees the same definitions.
	private static @Nullable Prompt wrapTools(Prompt prompt, ChainRun run) {
		ChatOptions options = prompt.getOptions();
		if (!(options instanceof ToolCallingChatOptions toolOptions)) {
			return null;
		}
		List<ToolCallback> callbacks = toolOptions.getToolCallbacks();
		if (callbacks == null || callbacks.isEmpty()) {
			return null;
		}
		List<ToolCallback> wrapped = new ArrayList<>(callbacks.size());
		for (ToolCallback callback : callbacks) {
			wrapped.add(new CallbackToolCallback(callback, run));
		}
		ToolCallingChatOptions.Builder<?> builder = toolOptions.mutate();
		builder.toolCallbacks(wrapped);
		return prompt.mutate().chatOptions(builder.build()).build();
	}

	static @Nullable String textOf(@Nullable ChatResponse response) {
		if (response == null) {
			return null;
		}
		Generation generation = response.getResult();
		return (generation != null) ? generation.getOutput().getText() : null;
	}

	/** The chain run of a request, if a chain advisor has started one. */
	static @Nullable ChainRun chainRunOf(Map<String, ? extends @Nullable Object> context) {
		return (context.get(CHAIN_RUN_KEY) instanceof ChainRun run) ? run : null;
	}

}
