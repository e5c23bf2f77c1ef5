package dev.callbacks.autoconfigure;

import java.util.List;

import dev.callbacks.event.ChainStartEvent;
import dev.callbacks.event.RetrieverEndEvent;
import dev.callbacks.event.RetrieverStartEvent;
import dev.callbacks.test.RecordingHandler;
import dev.callbacks.test.ScriptedChatModel;
import dev.callbacks.test.ScriptedChatModel.Reply;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.vectorstore.QuestionAnswerAdvisor;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.rag.Query;
import org.springframework.ai.rag.advisor.RetrievalAugmentationAdvisor;
import org.springframework.ai.rag.retrieval.search.DocumentRetriever;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.SimpleVectorStore;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** Retrieval beans become retriever runs of the ChatClient call that uses them. */
class RetrievalTracingTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CallbacksAutoConfiguration.class,
				org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration.class,
				org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration.class))
		.withUserConfiguration(Beans.class);

	@Test
	void vectorStoreSearchOfAQuestionAnswerAdvisorIsARetrieverRun() {
		this.contextRunner.run(context -> {
			context.getBean(ScriptedChatModel.class).respondWith(prompt -> Reply.text("Pink roses.").usage(30, 2));
			RecordingHandler handler = context.getBean(RecordingHandler.class);
			VectorStore store = context.getBean(VectorStore.class);
			ChatClient client = context.getBean(ChatClient.Builder.class).build();

			client.prompt("What does my sister like?")
				.advisors(QuestionAnswerAdvisor.builder(store).build())
				.call()
				.content();

			assertThat(handler.kinds()).containsExactly("chain_start", "retriever_start", "retriever_end", "llm_start",
					"llm_end", "chain_end");
			RetrieverStartEvent start = handler.single(RetrieverStartEvent.class);
			assertThat(start.name()).isEqualTo("SimpleVectorStore");
			assertThat(start.query()).isEqualTo("What does my sister like?");
			assertThat(start.parentRunId()).isEqualTo(handler.single(ChainStartEvent.class).runId());
			assertThat(handler.single(RetrieverEndEvent.class).documents()).isNotEmpty();
		});
	}

	@Test
	void documentRetrieverBeanThatSearchesAVectorStoreBeanIsOneRetrieverRun() {
		this.contextRunner.run(context -> {
			context.getBean(ScriptedChatModel.class).respondWith(prompt -> Reply.text("Pink roses.").usage(30, 2));
			RecordingHandler handler = context.getBean(RecordingHandler.class);
			ChatClient client = context.getBean(ChatClient.Builder.class).build();
			RetrievalAugmentationAdvisor rag = RetrievalAugmentationAdvisor.builder()
				.documentRetriever(context.getBean(DocumentRetriever.class))
				.build();

			client.prompt("What does my sister like?").advisors(rag).call().content();

			assertThat(handler.kinds()).containsExactly("chain_start", "retriever_start", "retriever_end", "llm_start",
					"llm_end", "chain_end");
			assertThat(handler.single(RetrieverStartEvent.class).name()).isEqualTo("StoreBackedRetriever");
		});
	}

	@Test
	void proxiedBeansKeepTheirTypeAndWorkOutsideRuns() {
		this.contextRunner.run(context -> {
			SimpleVectorStore store = context.getBean(SimpleVectorStore.class);
			assertThat(AopUtils.isCglibProxy(store)).isTrue();
			assertThat(context.getBean(StoreBackedRetriever.class)).isNotNull();
			assertThat(store.similaritySearch(SearchRequest.builder().query("roses").topK(1).build())).hasSize(1);
			assertThat(context.getBean(RecordingHandler.class).events()).isEmpty();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Beans {

		@Bean
		ScriptedChatModel chatModel() {
			return new ScriptedChatModel();
		}

		@Bean
		RecordingHandler recordingHandler() {
			return new RecordingHandler();
		}

		@Bean
		SimpleVectorStore vectorStore() {
			SimpleVectorStore store = SimpleVectorStore.builder(new LetterEmbeddingModel()).build();
			store.add(List.of(new Document("My sister loves pink roses."), new Document("Lilies suit sympathy.")));
			return store;
		}

		@Bean
		StoreBackedRetriever documentRetriever(VectorStore vectorStore) {
			return new StoreBackedRetriever(vectorStore);
		}

	}

	/**
	 * A retriever bean that searches the vector-store bean: nested retrievals must not
	 * double up.
	 */
	static class StoreBackedRetriever implements DocumentRetriever {

		private final VectorStore store;

		StoreBackedRetriever(VectorStore store) {
			this.store = store;
		}

		@Override
		public List<Document> retrieve(Query query) {
			return this.store.similaritySearch(SearchRequest.builder().query(query.text()).topK(1).build());
		}

	}

	/**
	 * Embeds text as letter frequencies: enough for a deterministic similarity search.
	 */
	static class LetterEmbeddingModel implements EmbeddingModel {

		@Override
		public EmbeddingResponse call(EmbeddingRequest request) {
			List<Embedding> embeddings = new java.util.ArrayList<>();
			for (int i = 0; i < request.getInstructions().size(); i++) {
				embeddings.add(new Embedding(vector(request.getInstructions().get(i)), i));
			}
			return new EmbeddingResponse(embeddings);
		}

		@Override
		public float[] embed(Document document) {
			return vector(document.getText());
		}

		@Override
		public int dimensions() {
			return 26;
		}

		private static float[] vector(String text) {
			float[] vector = new float[26];
			for (char c : text.toLowerCase().toCharArray()) {
				if (c >= 'a' && c <= 'z') {
					vector[c - 'a']++;
				}
			}
			return vector;
		}

	}

}
