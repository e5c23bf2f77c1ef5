package dev.callbacks;

import java.util.List;

import dev.callbacks.ai.CallbackAdvisors;
import dev.callbacks.ai.TracedDocumentRetriever;
import dev.callbacks.event.CallbackEvent;
import dev.callbacks.metrics.LlmMeters;
import dev.callbacks.metrics.MicrometerCallbackObserver;
import dev.callbacks.test.RecordingHandler;
import dev.callbacks.test.ScriptedChatModel;
import dev.callbacks.test.ScriptedChatModel.Reply;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.test.StepVerifier;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.document.Document;
import org.springframework.ai.rag.advisor.RetrievalAugmentationAdvisor;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A throwing handler is logged and counted and the chat goes on, unless it raises errors.
 */
@ExtendWith(OutputCaptureExtension.class)
class HandlerErrorTests {

	private final ScriptedChatModel model = new ScriptedChatModel();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final CallbackManager manager = CallbackManager.builder()
		.observers(List.of(new MicrometerCallbackObserver(this.registry)))
		.build();

	private final RecordingHandler witness = new RecordingHandler();

	private ChatClient client(BaseCallbackHandler handler) {
		return ChatClient.builder(this.model)
			.defaultAdvisors(CallbackAdvisors.of(this.manager))
			.defaultAdvisors(Callbacks.handlers(handler, this.witness))
			.build();
	}

	@Test
	void handlerThrowingInEveryEventDoesNotStopTheChat(CapturedOutput output) {
		this.model.then(Reply.toolCall("stock", "{\"flower\":\"tulip\"}").usage(10, 2))
			.then(Reply.text("Tulips are sold out.").usage(20, 4))
			.then(Reply.tokens("Roses", " bloom").usage(5, 2));
		ChatClient client = client(new ThrowingHandler(false));
		RetrievalAugmentationAdvisor rag = RetrievalAugmentationAdvisor.builder()
			.documentRetriever(TracedDocumentRetriever.of(query -> List.of(new Document("Tulips sell out in spring."))))
			.build();

		String answer = client.prompt("Tulips?").tools(new StockTools()).advisors(rag).call().content();
		List<String> streamed = client.prompt("Roses?").stream().content().collectList().block();

		assertThat(answer).isEqualTo("Tulips are sold out.");
		assertThat(streamed).containsExactly("Roses", " bloom");
		// the other handler of the same runs got every event (Spring AI orders the RAG
		// advisor inside the tool loop, so it retrieves once per round)
		assertThat(this.witness.shape()).containsExactly("chain_start", "retriever_start", "retriever_end", "llm_start",
				"llm_end", "tool_start", "custom:stock-checked", "tool_end", "retriever_start", "retriever_end",
				"llm_start", "llm_end", "chain_end", "chain_start", "llm_start", "tokens", "llm_end", "chain_end");
		List<String> failedEvents = List.of("onChainStart", "onRetrieverStart", "onRetrieverEnd", "onChatModelStart",
				"onLlmEnd", "onToolStart", "onCustomEvent", "onToolEnd", "onChainEnd", "onLlmNewToken");
		for (String event : failedEvents) {
			assertThat(output).contains("Error in " + ThrowingHandler.class.getName() + "." + event
					+ " callback: java.lang.IllegalStateException: boom in " + event);
			assertThat(this.registry.find(LlmMeters.HANDLER_ERRORS)
				.tags(LlmMeters.TAG_HANDLER, ThrowingHandler.class.getName(), LlmMeters.TAG_EVENT, event)
				.counter()).as(event).isNotNull().satisfies(c -> assertThat(c.count()).isPositive());
		}
	}

	@Test
	void handlerThrowingInErrorEventsDoesNotHideTheModelError() {
		this.model.then(Reply.error(new IllegalStateException("model down")));

		assertThatIllegalStateException()
			.isThrownBy(() -> client(new ThrowingHandler(false)).prompt("x").call().content())
			.withMessage("model down");
		assertThat(this.registry.find(LlmMeters.HANDLER_ERRORS).tag(LlmMeters.TAG_EVENT, "onLlmError").counter())
			.isNotNull();
		assertThat(this.registry.find(LlmMeters.HANDLER_ERRORS).tag(LlmMeters.TAG_EVENT, "onChainError").counter())
			.isNotNull();
	}

	@Test
	void raiseErrorFailsTheCall() {
		this.model.then(Reply.text("never seen").usage(1, 1));

		assertThatIllegalStateException()
			.isThrownBy(() -> client(new ThrowingHandler(true)).prompt("x").call().content())
			.withMessage("boom in onChainStart");
		// every handler still got the event before the call failed
		assertThat(this.witness.kinds()).startsWith("chain_start");
	}

	@Test
	void raiseErrorFailsTheStream() {
		this.model.then(Reply.tokens("a", "b").usage(1, 1));

		StepVerifier.create(client(new ThrowingHandler(true)).prompt("x").stream().content())
			.verifyErrorMessage("boom in onChainStart");
	}

	@Test
	void raiseErrorInATokenHandlerFailsTheStreamAndEndsEveryRunOnce() {
		this.model.then(Reply.tokens("a", "b").usage(1, 1));
		CallbackHandler tokenBomb = new CallbackHandler() {
			@Override
			public void onLlmNewToken(dev.callbacks.event.LlmNewTokenEvent event) {
				throw new IllegalStateException("token bomb");
			}

			@Override
			public boolean raiseError() {
				return true;
			}
		};

		StepVerifier.create(client(tokenBomb).prompt("x").stream().content()).verifyErrorMessage("token bomb");
		assertThat(this.witness.shape()).containsExactly("chain_start", "llm_start", "tokens", "llm_error",
				"chain_error");
	}

	@Test
	void errorsAreIsolatedLikeExceptionsAndTheStreamCompletes(CapturedOutput output) {
		// An Error thrown from inside a Reactor operator is rethrown, not signalled:
		// before, the subscriber was left hanging and later handlers missed the event.
		this.model.then(Reply.tokens("Roses", " bloom").usage(5, 2));
		CallbackHandler overflowing = new CallbackHandler() {
			@Override
			public void onLlmNewToken(dev.callbacks.event.LlmNewTokenEvent event) {
				throw new StackOverflowError("deep in onLlmNewToken");
			}

			@Override
			public void onLlmEnd(dev.callbacks.event.LlmEndEvent event) {
				throw new OutOfMemoryError("full in onLlmEnd");
			}
		};

		try (UsageTracker usage = UsageTracker.start()) {
			StepVerifier.create(client(overflowing).prompt("x").stream().content())
				.expectNext("Roses", " bloom")
				.expectComplete()
				.verify(java.time.Duration.ofSeconds(10));
			assertThat(usage.successfulRequests()).isEqualTo(1);
			assertThat(usage.totalTokens()).isEqualTo(7);
		}
		assertThat(this.witness.shape()).containsExactly("chain_start", "llm_start", "tokens", "llm_end", "chain_end");
		assertThat(output).contains("Error in " + overflowing.getClass().getName()
				+ ".onLlmNewToken callback: java.lang.StackOverflowError: deep in onLlmNewToken");
		assertThat(output).contains("Error in " + overflowing.getClass().getName()
				+ ".onLlmEnd callback: java.lang.OutOfMemoryError: full in onLlmEnd");
		assertThat(this.registry.find(LlmMeters.HANDLER_ERRORS).tag(LlmMeters.TAG_EVENT, "onLlmNewToken").counter())
			.isNotNull()
			.satisfies(c -> assertThat(c.count()).isEqualTo(2));
		assertThat(this.registry.find(LlmMeters.HANDLER_ERRORS).tag(LlmMeters.TAG_EVENT, "onLlmEnd").counter())
			.isNotNull();
	}

	@Test
	void raisingHandlerErrorFailsTheStreamWithItAsTheCause() {
		this.model.then(Reply.tokens("a", "b").usage(1, 1));
		CallbackHandler overflowing = new CallbackHandler() {
			@Override
			public void onLlmNewToken(dev.callbacks.event.LlmNewTokenEvent event) {
				throw new StackOverflowError("deep");
			}

			@Override
			public boolean raiseError() {
				return true;
			}
		};

		StepVerifier.create(client(overflowing).prompt("x").stream().content())
			.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(CallbackHandlerException.class)
				.hasCauseInstanceOf(StackOverflowError.class))
			.verify(java.time.Duration.ofSeconds(10));
		assertThat(this.witness.shape()).containsExactly("chain_start", "llm_start", "tokens", "llm_error",
				"chain_error");
	}

	@Test
	void asyncHandlerReturningNullIsAHandlerError(CapturedOutput output) {
		this.model.then(Reply.text("fine").usage(1, 1));
		AsyncCallbackHandler returningNull = new AsyncCallbackHandler() {
			@Override
			@SuppressWarnings("NullAway")
			public reactor.core.publisher.Mono<Void> onLlmEnd(dev.callbacks.event.LlmEndEvent event) {
				return null;
			}
		};

		assertThat(client(returningNull).prompt("x").call().content()).isEqualTo("fine");
		assertThat(output).contains("onLlmEnd returned null instead of a Mono");
		assertThat(this.registry.find(LlmMeters.HANDLER_ERRORS).tag(LlmMeters.TAG_EVENT, "onLlmEnd").counter())
			.isNotNull();
	}

	@Test
	void ignoreFlagsSkipTheirCategories() {
		this.model.then(Reply.toolCall("stock", "{\"flower\":\"rose\"}").usage(10, 2))
			.then(Reply.text("42 roses").usage(20, 4));
		RecordingHandler ignoringLlmAndTools = new RecordingHandler() {
			@Override
			public boolean ignoreLlm() {
				return true;
			}

			@Override
			public boolean ignoreTool() {
				return true;
			}
		};
		RecordingHandler ignoringChain = new RecordingHandler() {
			@Override
			public boolean ignoreChain() {
				return true;
			}
		};
		ChatClient client = ChatClient.builder(this.model)
			.defaultAdvisors(Callbacks.handlers(ignoringLlmAndTools, ignoringChain))
			.build();

		client.prompt("Roses?").tools(new StockTools()).call().content();

		// custom events are not tool events: ignoreTool() keeps them
		assertThat(ignoringLlmAndTools.kinds()).containsExactly("chain_start", "custom:stock-checked", "chain_end");
		assertThat(ignoringChain.kinds()).containsExactly("llm_start", "llm_end", "tool_start", "custom:stock-checked",
				"tool_end", "llm_start", "llm_end");
	}

	static class StockTools {

		@Tool(name = "stock", description = "Stems in stock")
		String stock(String flower) {
			Callbacks.dispatchCustomEvent("stock-checked", flower);
			return "0";
		}

	}

	/** Throws in every event. */
	static class ThrowingHandler extends RecordingHandler {

		private final boolean raise;

		ThrowingHandler(boolean raise) {
			this.raise = raise;
		}

		@Override
		protected void record(CallbackEvent event) {
			String method = switch (kind(event)) {
				case "chain_start" -> "onChainStart";
				case "chain_end" -> "onChainEnd";
				case "chain_error" -> "onChainError";
				case "llm_start" -> "onChatModelStart";
				case "token" -> "onLlmNewToken";
				case "llm_end" -> "onLlmEnd";
				case "llm_error" -> "onLlmError";
				case "tool_start" -> "onToolStart";
				case "tool_end" -> "onToolEnd";
				case "tool_error" -> "onToolError";
				case "retriever_start" -> "onRetrieverStart";
				case "retriever_end" -> "onRetrieverEnd";
				case "retriever_error" -> "onRetrieverError";
				default -> "onCustomEvent";
			};
			throw new IllegalStateException("boom in " + method);
		}

		@Override
		public boolean raiseError() {
			return this.raise;
		}

	}

}
