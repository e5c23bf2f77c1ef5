package dev.callbacks.ai;

import java.util.List;
import java.util.UUID;

import dev.callbacks.Callbacks;
import dev.callbacks.usage.TokenUsage;
import dev.callbacks.UsageTracker;
import dev.callbacks.event.ChainEndEvent;
import dev.callbacks.event.ChainErrorEvent;
import dev.callbacks.event.ChainStartEvent;
import dev.callbacks.event.ChatModelStartEvent;
import dev.callbacks.event.CustomEvent;
import dev.callbacks.event.LlmEndEvent;
import dev.callbacks.event.LlmErrorEvent;
import dev.callbacks.event.LlmNewTokenEvent;
import dev.callbacks.event.RetrieverEndEvent;
import dev.callbacks.event.RetrieverStartEvent;
import dev.callbacks.event.ToolEndEvent;
import dev.callbacks.event.ToolStartEvent;
import dev.callbacks.test.RecordingHandler;
import dev.callbacks.test.ScriptedChatModel;
import dev.callbacks.test.ScriptedChatModel.Reply;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.document.Document;
import org.springframework.ai.rag.advisor.RetrievalAugmentationAdvisor;
import org.springframework.ai.tool.annotation.Tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The run tree of real {@code ChatClient} calls and streams over a scripted model. */
class RunTreeTests {

	final ScriptedChatModel model = new ScriptedChatModel();

	final RecordingHandler handler = new RecordingHandler();

	/**
	 * The client under test: its rounds seen by the LLM advisor of the handler's level.
	 */
	ChatClient client() {
		return ChatClient.builder(this.model).defaultAdvisors(Callbacks.handlers(this.handler)).build();
	}

	@Test
	void callIsAChainRunWithOneLlmRun() {
		this.model.then(Reply.text("Roses, lilies and gerberas.").usage(12, 7));

		String answer = client().prompt("Which flowers suit a birthday?").call().content();

		assertThat(answer).isEqualTo("Roses, lilies and gerberas.");
		assertThat(this.handler.kinds()).containsExactly("chain_start", "llm_start", "llm_end", "chain_end");
		ChainStartEvent chainStart = this.handler.single(ChainStartEvent.class);
		ChatModelStartEvent llmStart = this.handler.single(ChatModelStartEvent.class);
		LlmEndEvent llmEnd = this.handler.single(LlmEndEvent.class);
		ChainEndEvent chainEnd = this.handler.single(ChainEndEvent.class);
		assertThat(chainStart.parentRunId()).isNull();
		assertThat(chainStart.name()).isEqualTo("chat_client");
		assertThat(chainStart.inputs()).containsEntry("input", "Which flowers suit a birthday?");
		assertThat(llmStart.parentRunId()).isEqualTo(chainStart.runId());
		assertThat(llmStart.streaming()).isFalse();
		assertThat(llmStart.model()).isEqualTo(ScriptedChatModel.MODEL);
		assertThat(llmStart.messages()).extracting(m -> m.getText()).containsExactly("Which flowers suit a birthday?");
		assertThat(llmEnd.runId()).isEqualTo(llmStart.runId());
		assertThat(llmEnd.usage()).isEqualTo(TokenUsage.of(12, 7));
		assertThat(llmEnd.response().getResult().getOutput().getText()).isEqualTo(answer);
		assertThat(chainEnd.runId()).isEqualTo(chainStart.runId());
		assertThat(chainEnd.outputs()).containsEntry("output", answer);
		assertThat(chainEnd.usage()).isEqualTo(TokenUsage.of(12, 7));
	}

	@Test
	void streamDeliversEveryTokenInIndexOrderAndUsageFromTheFinalChunk() {
		this.model.then(Reply.tokens("Roses", ", ", "lilies", " and ", "gerberas", ".").usage(12, 6));

		StepVerifier.create(client().prompt("Which flowers suit a birthday?").stream().content())
			.expectNext("Roses", ", ", "lilies", " and ", "gerberas", ".")
			.verifyComplete();

		assertThat(this.handler.shape()).containsExactly("chain_start", "llm_start", "tokens", "llm_end", "chain_end");
		List<LlmNewTokenEvent> tokens = this.handler.events(LlmNewTokenEvent.class);
		assertThat(tokens).extracting(LlmNewTokenEvent::index).containsExactly(0, 1, 2, 3, 4, 5);
		assertThat(this.handler.tokens()).isEqualTo("Roses, lilies and gerberas.");
		ChatModelStartEvent llmStart = this.handler.single(ChatModelStartEvent.class);
		assertThat(llmStart.streaming()).isTrue();
		assertThat(tokens).allSatisfy(t -> assertThat(t.runId()).isEqualTo(llmStart.runId()));
		LlmEndEvent llmEnd = this.handler.single(LlmEndEvent.class);
		assertThat(llmEnd.usage()).isEqualTo(TokenUsage.of(12, 6));
		assertThat(llmEnd.response().getResult().getOutput().getText()).isEqualTo("Roses, lilies and gerberas.");
		assertThat(llmEnd.response().getMetadata().getUsage().getTotalTokens()).isEqualTo(18);
		ChainEndEvent chainEnd = this.handler.single(ChainEndEvent.class);
		assertThat(chainEnd.outputs()).containsEntry("output", "Roses, lilies and gerberas.");
		assertThat(chainEnd.usage()).isEqualTo(TokenUsage.of(12, 6));
	}

	@Test
	void streamWithoutReportedUsageIsEstimatedWithATokenizer() {
		this.model.then(Reply.tokens("Pink", " roses", " are", " lovely", ".").usage(1, 1).noUsageInStream());

		client().prompt("Which flowers does my sister like?").stream().content().blockLast();

		TokenUsage usage = this.handler.single(LlmEndEvent.class).usage();
		assertThat(usage.estimated()).isTrue();
		assertThat(usage.completionTokens()).isEqualTo(5);
		// 7 tokens of text, 3 for the message, 3 to prime the reply
		assertThat(usage.promptTokens()).isEqualTo(13);
		assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());
	}

	@Test
	void twoRoundToolCallIsTwoLlmRunsAndOneToolRunUnderTheChain() {
		this.model.then(Reply.toolCall("stock", "{\"flower\":\"rose\"}").usage(20, 5))
			.then(Reply.text("We have 42 roses.").usage(30, 6));

		String answer = client().prompt("How many roses do you have?").tools(new StockTools()).call().content();

		assertThat(answer).isEqualTo("We have 42 roses.");
		assertThat(this.handler.kinds()).containsExactly("chain_start", "llm_start", "llm_end", "tool_start",
				"tool_end", "llm_start", "llm_end", "chain_end");
		assertToolRunTree();
		assertThat(this.handler.single(ChainEndEvent.class).usage()).isEqualTo(TokenUsage.of(50, 11));
	}

	@Test
	void streamedToolCallIsTheSameTree() {
		this.model.then(Reply.toolCall("stock", "{\"flower\":\"rose\"}").usage(20, 5))
			.then(Reply.text("We have 42 roses.").usage(30, 6));

		String answer = String.join("",
				client().prompt("How many roses do you have?").tools(new StockTools()).stream().content().toIterable());

		assertThat(answer).isEqualTo("We have 42 roses.");
		assertThat(this.handler.shape()).containsExactly("chain_start", "llm_start", "llm_end", "tool_start",
				"tool_end", "llm_start", "tokens", "llm_end", "chain_end");
		assertToolRunTree();
		assertThat(this.handler.single(ChainEndEvent.class).usage()).isEqualTo(TokenUsage.of(50, 11));
		assertThat(this.handler.events(LlmEndEvent.class)).extracting(LlmEndEvent::usage)
			.containsExactly(TokenUsage.of(20, 5), TokenUsage.of(30, 6));
	}

	private void assertToolRunTree() {
		UUID chain = this.handler.single(ChainStartEvent.class).runId();
		List<ChatModelStartEvent> llmRuns = this.handler.events(ChatModelStartEvent.class);
		assertThat(llmRuns).hasSize(2).allSatisfy(run -> assertThat(run.parentRunId()).isEqualTo(chain));
		assertThat(llmRuns.get(0).runId()).isNotEqualTo(llmRuns.get(1).runId());
		ToolStartEvent toolStart = this.handler.single(ToolStartEvent.class);
		ToolEndEvent toolEnd = this.handler.single(ToolEndEvent.class);
		assertThat(toolStart.parentRunId()).isEqualTo(chain);
		assertThat(toolStart.toolName()).isEqualTo("stock");
		assertThat(toolStart.input()).isEqualTo("{\"flower\":\"rose\"}");
		assertThat(toolEnd.runId()).isEqualTo(toolStart.runId());
		assertThat(toolEnd.output()).isEqualTo("42");
		// the second round sent the tool's answer back to the model
		assertThat(this.model.prompts().get(1).getInstructions()).hasSize(3);
	}

	@Test
	void customEventFromToolCodeIsAChildOfTheToolRun() {
		this.model.then(Reply.toolCall("stock", "{\"flower\":\"tulip\"}").usage(20, 5))
			.then(Reply.text("Tulips are sold out.").usage(30, 5));

		client().prompt("Tulips?").tools(new StockTools()).call().content();

		CustomEvent custom = this.handler.single(CustomEvent.class);
		assertThat(custom.eventName()).isEqualTo("stock-checked");
		assertThat(custom.data()).isEqualTo("tulip");
		assertThat(custom.parentRunId()).isEqualTo(this.handler.single(ToolStartEvent.class).runId());
		assertThat(this.handler.kinds()).containsSubsequence("tool_start", "custom:stock-checked", "tool_end");
	}

	@Test
	void dispatchCustomEventOutsideARunDoesNothing() {
		Callbacks.dispatchCustomEvent("orphan", 1);
		StepVerifier.create(Callbacks.dispatchCustomEventAsync("orphan", 1)).verifyComplete();
		assertThat(this.handler.events()).isEmpty();
	}

	@Test
	void toolsThatDispatchCustomEventsWorkWhenNothingListens() {
		this.model.then(Reply.toolCall("stock", "{\"flower\":\"tulip\"}").usage(20, 5))
			.then(Reply.text("Sold out.").usage(30, 2));
		ChatClient silent = ChatClient.builder(this.model).defaultAdvisors(Callbacks.handlers()).build();

		assertThat(String.join("", silent.prompt("Tulips?").tools(new StockTools()).stream().content().toIterable()))
			.isEqualTo("Sold out.");
	}

	@Test
	void customEventFromAStreamedToolIsAChildOfTheToolRun() {
		this.model.then(Reply.toolCall("stock", "{\"flower\":\"tulip\"}").usage(20, 5))
			.then(Reply.text("Sold out.").usage(30, 2));

		client().prompt("Tulips?").tools(new StockTools()).stream().content().blockLast();

		assertThat(this.handler.single(CustomEvent.class).parentRunId())
			.isEqualTo(this.handler.single(ToolStartEvent.class).runId());
	}

	@Test
	void retrievalAdvisorIsARetrieverRunUnderTheChain() {
		this.model.then(Reply.text("Sunflowers mean adoration.").usage(40, 5));
		List<Document> found = List.of(new Document("Sunflowers stand for adoration and loyalty."));
		RetrievalAugmentationAdvisor rag = RetrievalAugmentationAdvisor.builder()
			.documentRetriever(TracedDocumentRetriever.of(query -> found))
			.build();

		client().prompt("What do sunflowers mean?").advisors(rag).call().content();

		assertThat(this.handler.kinds()).containsExactly("chain_start", "retriever_start", "retriever_end", "llm_start",
				"llm_end", "chain_end");
		RetrieverStartEvent start = this.handler.single(RetrieverStartEvent.class);
		assertThat(start.query()).isEqualTo("What do sunflowers mean?");
		assertThat(start.parentRunId()).isEqualTo(this.handler.single(ChainStartEvent.class).runId());
		assertThat(this.handler.single(RetrieverEndEvent.class).documents()).isEqualTo(found);
		// the LLM run saw the augmented prompt
		assertThat(this.handler.single(ChatModelStartEvent.class).messages().get(0).getText())
			.contains("Sunflowers stand for adoration");
	}

	@Test
	void streamedRetrievalIsARetrieverRunWithoutThreadLocalPropagation() {
		this.model.then(Reply.tokens("Sunflowers", " mean", " adoration.").usage(40, 3));
		List<Document> found = List.of(new Document("Sunflowers stand for adoration and loyalty."));
		RetrievalAugmentationAdvisor rag = RetrievalAugmentationAdvisor.builder()
			.documentRetriever(TracedDocumentRetriever.of(query -> found))
			.build();

		client().prompt("What do sunflowers mean?").advisors(rag).stream().content().blockLast();

		assertThat(this.handler.shape()).containsExactly("chain_start", "retriever_start", "retriever_end", "llm_start",
				"tokens", "llm_end", "chain_end");
		assertThat(this.handler.single(RetrieverStartEvent.class).parentRunId())
			.isEqualTo(this.handler.single(ChainStartEvent.class).runId());
	}

	@Test
	void modelErrorEndsTheLlmRunAndTheChainWithOneErrorEach() {
		this.model.then(Reply.error(new IllegalStateException("model down")));

		assertThatIllegalStateException().isThrownBy(() -> client().prompt("Hello").call().content())
			.withMessage("model down");

		assertThat(this.handler.kinds()).containsExactly("chain_start", "llm_start", "llm_error", "chain_error");
		assertThat(this.handler.single(LlmErrorEvent.class).error()).hasMessage("model down");
		assertThat(this.handler.single(ChainErrorEvent.class).error()).hasMessage("model down");
	}

	@Test
	void streamErrorAfterTokensEndsEachRunOnceWithAnError() {
		this.model.then(Reply.tokens("Roses", " are").usage(5, 2).failAfter(1, new IllegalStateException("cut")));

		StepVerifier.create(client().prompt("Hello").stream().content()).expectNext("Roses").verifyErrorMessage("cut");

		assertThat(this.handler.shape()).containsExactly("chain_start", "llm_start", "tokens", "llm_error",
				"chain_error");
	}

	@Test
	void eachAttemptOfARetryingAdvisorIsAnLlmRunOfItsOwn() {
		this.model.then(Reply.error(new IllegalStateException("flaky"))).then(Reply.text("ok").usage(3, 1));
		CallAdvisor retryOnce = new CallAdvisor() {
			@Override
			public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
				try {
					return chain.copy(this).nextCall(request);
				}
				catch (IllegalStateException ex) {
					return chain.copy(this).nextCall(request);
				}
			}

			@Override
			public String getName() {
				return "retry-once";
			}

			@Override
			public int getOrder() {
				return 0;
			}
		};

		assertThat(client().prompt("x").advisors(retryOnce).call().content()).isEqualTo("ok");

		assertThat(this.handler.kinds()).containsExactly("chain_start", "llm_start", "llm_error", "llm_start",
				"llm_end", "chain_end");
		List<ChatModelStartEvent> attempts = this.handler.events(ChatModelStartEvent.class);
		assertThat(attempts.get(0).runId()).isNotEqualTo(attempts.get(1).runId());
	}

	@Test
	void aClientCalledFromInsideAToolIsAChainRunUnderTheToolRunAndCounted() {
		ScriptedChatModel inner = new ScriptedChatModel().respondWith(prompt -> Reply.text("fresh").usage(7, 1));
		ChatClient advisor = ChatClient.builder(inner).defaultAdvisors(Callbacks.handlers(this.handler)).build();
		this.model.respondWith(prompt -> (prompt.getInstructions().size() == 1)
				? Reply.toolCall("ask_florist", "{\"question\":\"roses?\"}").usage(20, 5)
				: Reply.text("The florist says fresh.").usage(30, 6));
		FloristTools tools = new FloristTools(advisor);

		try (UsageTracker usage = UsageTracker.start()) {
			client().prompt("Are the roses fresh?").tools(tools).stream().content().blockLast();

			assertThat(usage.totalTokens()).isEqualTo(25 + 36 + 8);
			assertThat(usage.successfulRequests()).isEqualTo(3);
		}
		List<ChainStartEvent> chains = this.handler.events(ChainStartEvent.class);
		assertThat(chains).hasSize(2);
		UUID toolRun = this.handler.single(ToolStartEvent.class).runId();
		assertThat(chains.get(0).parentRunId()).isNull();
		assertThat(chains.get(1).parentRunId()).isEqualTo(toolRun);
		assertThat(this.handler.kindsOf(chains.get(1).runId())).containsExactly("chain_start", "chain_end");
	}

	static class FloristTools {

		private final ChatClient florist;

		FloristTools(ChatClient florist) {
			this.florist = florist;
		}

		@Tool(name = "ask_florist", description = "Ask the florist")
		String askFlorist(String question) {
			return this.florist.prompt(question).call().content();
		}

	}

	@Test
	void promptMessagesOfTheChainStartAreTheRequestMessages() {
		this.model.then(Reply.text("Hi").usage(1, 1));

		client().prompt().messages(new UserMessage("first")).user("second").call().content();

		assertThat(this.handler.single(ChainStartEvent.class).inputs()).containsEntry("input", "second");
	}

	static class StockTools {

		@Tool(name = "stock", description = "Stems in stock for a flower")
		String stock(String flower) {
			if (flower.equals("tulip")) {
				Callbacks.dispatchCustomEvent("stock-checked", flower);
				return "0";
			}
			return "42";
		}

	}

}
