package dev.callbacks.openai;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.callbacks.CallbackObserver;
import dev.callbacks.EmbeddingRunRecord;
import dev.callbacks.UsageTracker;
import dev.callbacks.ai.TokenEstimator;
import dev.callbacks.autoconfigure.CallbacksAutoConfiguration;
import dev.callbacks.autoconfigure.CallbacksMetricsAutoConfiguration;
import dev.callbacks.event.ChainStartEvent;
import dev.callbacks.event.EmbeddingEndEvent;
import dev.callbacks.event.EmbeddingErrorEvent;
import dev.callbacks.event.EmbeddingStartEvent;
import dev.callbacks.event.RetrieverStartEvent;
import dev.callbacks.metrics.LlmMeters;
import dev.callbacks.test.OpenAiMockServer;
import dev.callbacks.test.OpenAiMockServer.EmbeddingCall;
import dev.callbacks.test.OpenAiMockServer.Reply;
import dev.callbacks.test.RecordingHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.vectorstore.QuestionAnswerAdvisor;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration;
import org.springframework.ai.model.openai.autoconfigure.OpenAiChatAutoConfiguration;
import org.springframework.ai.model.openai.autoconfigure.OpenAiEmbeddingAutoConfiguration;
import org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration;
import org.springframework.ai.openai.OpenAiEmbeddingModel;
import org.springframework.ai.vectorstore.SimpleVectorStore;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.within;

/**
 * Embedding calls of Spring AI's real OpenAI embedding client, against a local server
 * speaking the OpenAI wire format, in a Spring Boot context: events, parents, the
 * trackers' embedding counts and cost, observers and meters, for indexing outside any run
 * and for the query embedding of a vector-store retrieval inside a {@code ChatClient}
 * call.
 */
@Timeout(60)
class OpenAiEmbeddingTests {

	private static final OpenAiMockServer server = OpenAiMockServer.start();

	// text-embedding-3-small in the bundled price table: USD per 1M input tokens.
	private static final BigDecimal PRICE = new BigDecimal("0.02");

	private static final AutoConfigurations AUTO_CONFIGURATIONS = AutoConfigurations.of(
			OpenAiEmbeddingAutoConfiguration.class, OpenAiChatAutoConfiguration.class,
			ToolCallingAutoConfiguration.class, ChatClientAutoConfiguration.class, CallbacksAutoConfiguration.class,
			CallbacksMetricsAutoConfiguration.class);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AUTO_CONFIGURATIONS)
		.withPropertyValues(server.springBootProperties())
		.withPropertyValues(server.embeddingSpringBootProperties())
		.withUserConfiguration(Beans.class);

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void aCallOutsideAnyRunIsARootRunCountedByTheCurrentTracker() {
		this.contextRunner.run(context -> {
			RecordingHandler handler = context.getBean("recordingHandler", RecordingHandler.class);
			EmbeddingModel model = context.getBean(EmbeddingModel.class);
			List<String> texts = List.of("My sister loves pink roses.", "Lilies suit a sympathy bouquet.");
			int before = server.embeddingCalls().size();

			try (UsageTracker tracker = UsageTracker.start()) {
				assertThat(model.embed(texts)).hasSize(2);

				List<EmbeddingCall> calls = server.embeddingCalls().subList(before, server.embeddingCalls().size());
				assertThat(calls).singleElement().satisfies(call -> assertThat(call.inputs()).isEqualTo(texts));
				long sent = calls.get(0).promptTokens();
				assertThat(sent).isPositive();

				assertThat(handler.kinds()).containsExactly("embedding_start", "embedding_end");
				EmbeddingStartEvent start = handler.single(EmbeddingStartEvent.class);
				assertThat(start.parentRunId()).isNull();
				assertThat(start.inputs()).isEqualTo(texts);
				assertThat(start.name()).isEqualTo("OpenAiEmbeddingModel");
				assertThat(start.model()).isEqualTo(OpenAiMockServer.EMBEDDING_MODEL);
				EmbeddingEndEvent end = handler.single(EmbeddingEndEvent.class);
				assertThat(end.runId()).isEqualTo(start.runId());
				assertThat(end.usage().promptTokens()).isEqualTo(sent);
				assertThat(end.usage().estimated()).isFalse();
				assertThat(end.model()).isEqualTo(OpenAiMockServer.EMBEDDING_MODEL);
				assertThat(end.embeddings()).isEqualTo(2);

				assertThat(tracker.embeddingTokens()).isEqualTo(sent);
				assertThat(tracker.embeddingRequests()).isEqualTo(1);
				assertThat(tracker.embeddingTokensEstimated()).isFalse();
				assertThat(tracker.embeddingCost()).isEqualByComparingTo(cost(sent));
				// Chat totals keep meaning chat alone.
				assertThat(tracker.totalTokens()).isZero();
				assertThat(tracker.successfulRequests()).isZero();
				assertThat(tracker.totalCost()).isEqualByComparingTo(BigDecimal.ZERO);
				assertThat(tracker.overallCost()).isEqualByComparingTo(cost(sent));

				EmbeddingRunRecord record = single(context.getBean(RecordingObserver.class).runs);
				assertThat(record.runId()).isEqualTo(start.runId());
				assertThat(record.parentRunId()).isNull();
				assertThat(record.chainRunId()).isNull();
				assertThat(record.client()).isEqualTo(EmbeddingRunRecord.NO_CLIENT);
				assertThat(record.provider()).isEqualTo("openai");
				assertThat(record.inputs()).isEqualTo(2);
				assertThat(record.cost()).isEqualByComparingTo(cost(sent));

				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get(LlmMeters.EMBEDDING_TOKENS)
					.tag(LlmMeters.TAG_MODEL, OpenAiMockServer.EMBEDDING_MODEL)
					.tag(LlmMeters.TAG_CLIENT, EmbeddingRunRecord.NO_CLIENT)
					.counter()
					.count()).isEqualTo(sent);
				assertThat(registry.get(LlmMeters.EMBEDDING_REQUESTS)
					.tag(LlmMeters.TAG_MODEL, OpenAiMockServer.EMBEDDING_MODEL)
					.tag(LlmMeters.TAG_OUTCOME, LlmMeters.OUTCOME_SUCCESS)
					.counter()
					.count()).isEqualTo(1);
				assertThat(registry.get(LlmMeters.EMBEDDING_COST)
					.tag(LlmMeters.TAG_MODEL, OpenAiMockServer.EMBEDDING_MODEL)
					.counter()
					.count()).isCloseTo(cost(sent).doubleValue(), within(1e-12));
			}
		});
	}

	@Test
	void indexingDocumentsIsOneRunPerDocumentEstimatedWhereTheModelHidesItsCall() {
		this.contextRunner.run(context -> {
			RecordingHandler handler = context.getBean("recordingHandler", RecordingHandler.class);
			SimpleVectorStore store = context.getBean(SimpleVectorStore.class);
			// OpenAiEmbeddingModel.embed(Document), which SimpleVectorStore.add calls,
			// calls
			// the provider on itself, out of the proxy's sight: its tokens are estimated.
			List<Document> documents = List.of(new Document("My sister loves pink roses."),
					new Document("Lilies suit a sympathy bouquet."));
			try (UsageTracker tracker = UsageTracker.start()) {
				store.add(documents);

				long expected = 0;
				for (Document document : documents) {
					expected += TokenEstimator
						.estimateEmbedding(OpenAiMockServer.EMBEDDING_MODEL,
								List.of(context.getBean(EmbeddingModel.class).getEmbeddingContent(document)))
						.promptTokens();
				}
				assertThat(handler.events(EmbeddingEndEvent.class)).hasSize(2)
					.allSatisfy(end -> assertThat(end.usage().estimated()).isTrue())
					.allSatisfy(end -> assertThat(end.model()).isEqualTo(OpenAiMockServer.EMBEDDING_MODEL))
					.allSatisfy(end -> assertThat(end.parentRunId()).isNull());
				assertThat(tracker.embeddingRequests()).isEqualTo(2);
				assertThat(tracker.embeddingTokens()).isEqualTo(expected);
				assertThat(tracker.embeddingTokensEstimated()).isTrue();
				assertThat(tracker.embeddingCost()).isEqualByComparingTo(cost(expected));
			}
		});
	}

	@Test
	void theQueryEmbeddingOfARetrievalIsAChildOfTheRetrieverRun() {
		this.contextRunner.run(context -> {
			SimpleVectorStore store = context.getBean(SimpleVectorStore.class);
			store.add(List.of(new Document("My sister loves pink roses."), new Document("Lilies suit sympathy.")));
			RecordingHandler handler = context.getBean("recordingHandler", RecordingHandler.class);
			RecordingObserver observer = context.getBean(RecordingObserver.class);
			handler.clear();
			observer.runs.clear();
			server.enqueue(Reply.text("Pink roses.").withUsage(30, 2));
			ChatClient client = context.getBean(ChatClient.Builder.class).build();
			int before = server.embeddingCalls().size();

			try (UsageTracker tracker = UsageTracker.start()) {
				String answer = client.prompt("What does my sister like?")
					.advisors(QuestionAnswerAdvisor.builder(store).build())
					.call()
					.content();

				assertThat(answer).isEqualTo("Pink roses.");
				List<EmbeddingCall> calls = server.embeddingCalls().subList(before, server.embeddingCalls().size());
				assertThat(calls).singleElement()
					.satisfies(call -> assertThat(call.inputs()).containsExactly("What does my sister like?"));
				long sent = calls.get(0).promptTokens();

				assertThat(handler.kinds()).containsExactly("chain_start", "retriever_start", "embedding_start",
						"embedding_end", "retriever_end", "llm_start", "llm_end", "chain_end");
				UUID retriever = handler.single(RetrieverStartEvent.class).runId();
				assertThat(handler.single(EmbeddingStartEvent.class).parentRunId()).isEqualTo(retriever);
				assertThat(handler.single(EmbeddingEndEvent.class).usage().promptTokens()).isEqualTo(sent);

				assertThat(tracker.embeddingTokens()).isEqualTo(sent);
				assertThat(tracker.embeddingRequests()).isEqualTo(1);
				assertThat(tracker.embeddingCost()).isEqualByComparingTo(cost(sent));
				// The chat round's own counts, untouched by the embedding.
				assertThat(tracker.promptTokens()).isEqualTo(30);
				assertThat(tracker.completionTokens()).isEqualTo(2);
				assertThat(tracker.successfulRequests()).isEqualTo(1);

				EmbeddingRunRecord record = single(observer.runs);
				assertThat(record.parentRunId()).isEqualTo(retriever);
				assertThat(record.chainRunId()).isEqualTo(handler.single(ChainStartEvent.class).runId());
				assertThat(record.client()).isEqualTo("chat_client");
				assertThat(context.getBean(MeterRegistry.class)
					.get(LlmMeters.EMBEDDING_TOKENS)
					.tag(LlmMeters.TAG_CLIENT, "chat_client")
					.counter()
					.count()).isEqualTo(sent);
			}
		});
	}

	@Test
	void withoutRetrieverRunsTheQueryEmbeddingIsAChildOfTheChain() {
		new ApplicationContextRunner().withConfiguration(AUTO_CONFIGURATIONS)
			.withPropertyValues(server.springBootProperties())
			.withPropertyValues(server.embeddingSpringBootProperties())
			.withUserConfiguration(EmbeddingOnlyBeans.class)
			.run(context -> {
				SimpleVectorStore store = context.getBean(SimpleVectorStore.class);
				store.add(List.of(new Document("My sister loves pink roses.")));
				RecordingObserver observer = context.getBean(RecordingObserver.class);
				observer.runs.clear();
				EmbeddingOnlyHandler handler = context.getBean(EmbeddingOnlyHandler.class);
				handler.starts.clear();
				server.enqueue(Reply.text("Pink roses.").withUsage(30, 2));
				// Only a handler that listens to embeddings, none to retrievals: the
				// search is
				// no retriever run, and the embedding hangs off the chain.
				ChatClient client = context.getBean(ChatClient.Builder.class).build();
				client.prompt("What does my sister like?")
					.advisors(QuestionAnswerAdvisor.builder(store).build())
					.call()
					.content();

				EmbeddingRunRecord record = single(observer.runs);
				assertThat(record.chainRunId()).isNotNull();
				assertThat(record.parentRunId()).isEqualTo(record.chainRunId());
				assertThat(record.client()).isEqualTo("chat_client");
				assertThat(single(handler.starts).parentRunId()).isEqualTo(record.chainRunId());
			});
	}

	@Test
	void aProviderThatReportsNoTokensIsEstimatedAndSaysSo() {
		this.contextRunner.run(context -> {
			EmbeddingModel model = context.getBean(EmbeddingModel.class);
			server.reportEmbeddingUsage(false);
			try (UsageTracker tracker = UsageTracker.start()) {
				model.embed("Which flowers say thank you?");

				long expected = TokenEstimator
					.estimateEmbedding(OpenAiMockServer.EMBEDDING_MODEL, List.of("Which flowers say thank you?"))
					.promptTokens();
				assertThat(expected).isPositive();
				assertThat(tracker.embeddingTokens()).isEqualTo(expected);
				assertThat(tracker.embeddingTokensEstimated()).isTrue();
				assertThat(context.getBean("recordingHandler", RecordingHandler.class)
					.single(EmbeddingEndEvent.class)
					.usage()
					.estimated()).isTrue();
			}
			finally {
				server.reportEmbeddingUsage(true);
			}
		});
	}

	@Test
	void aFailedCallIsAnErrorEventAndAFailedRequest() {
		this.contextRunner.run(context -> {
			EmbeddingModel model = context.getBean(EmbeddingModel.class);
			server.failEmbeddings(1);
			try (UsageTracker tracker = UsageTracker.start()) {
				assertThatException().isThrownBy(() -> model.embed("roses"));

				RecordingHandler handler = context.getBean("recordingHandler", RecordingHandler.class);
				assertThat(handler.kinds()).containsExactly("embedding_start", "embedding_error");
				assertThat(handler.single(EmbeddingErrorEvent.class).runId())
					.isEqualTo(handler.single(EmbeddingStartEvent.class).runId());
				assertThat(tracker.failedEmbeddingRequests()).isEqualTo(1);
				assertThat(tracker.embeddingRequests()).isZero();
				assertThat(context.getBean(MeterRegistry.class)
					.get(LlmMeters.EMBEDDING_REQUESTS)
					.tag(LlmMeters.TAG_OUTCOME, LlmMeters.OUTCOME_ERROR)
					.counter()
					.count()).isEqualTo(1);
			}
		});
	}

	@Test
	void aHandlerThatIgnoresEmbeddingsGetsNoneAndTheBeanKeepsItsType() {
		this.contextRunner.withBean(IgnoringHandler.class).run(context -> {
			assertThat(context.getBean(OpenAiEmbeddingModel.class)).isNotNull();
			context.getBean(EmbeddingModel.class).embed(List.of("roses", "lilies"));
			assertThat(context.getBean(IgnoringHandler.class).events()).isEmpty();
			assertThat(context.getBean("recordingHandler", RecordingHandler.class).kinds())
				.containsExactly("embedding_start", "embedding_end");
		});
	}

	private static BigDecimal cost(long tokens) {
		return PRICE.multiply(BigDecimal.valueOf(tokens)).divide(BigDecimal.valueOf(1_000_000));
	}

	private static <T> T single(List<T> list) {
		assertThat(list).hasSize(1);
		return list.get(0);
	}

	@Configuration(proxyBeanMethods = false)
	static class Beans {

		@Bean
		RecordingHandler recordingHandler() {
			return new RecordingHandler();
		}

		@Bean
		RecordingObserver recordingObserver() {
			return new RecordingObserver();
		}

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		SimpleVectorStore vectorStore(EmbeddingModel embeddingModel) {
			return SimpleVectorStore.builder(embeddingModel).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class EmbeddingOnlyBeans {

		@Bean
		EmbeddingOnlyHandler embeddingOnlyHandler() {
			return new EmbeddingOnlyHandler();
		}

		@Bean
		RecordingObserver recordingObserver() {
			return new RecordingObserver();
		}

		@Bean
		SimpleVectorStore vectorStore(EmbeddingModel embeddingModel) {
			return SimpleVectorStore.builder(embeddingModel).build();
		}

	}

	static class RecordingObserver implements CallbackObserver {

		final List<EmbeddingRunRecord> runs = java.util.Collections.synchronizedList(new ArrayList<>());

		@Override
		public void onEmbeddingRun(EmbeddingRunRecord run) {
			this.runs.add(run);
		}

	}

	static class EmbeddingOnlyHandler implements dev.callbacks.CallbackHandler {

		final List<EmbeddingStartEvent> starts = java.util.Collections.synchronizedList(new ArrayList<>());

		@Override
		public void onEmbeddingStart(EmbeddingStartEvent event) {
			this.starts.add(event);
		}

	}

	static class IgnoringHandler extends RecordingHandler {

		@Override
		public boolean ignoreEmbedding() {
			return true;
		}

	}

}
