package dev.callbacks.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.callbacks.AsyncCallbackHandler;
import dev.callbacks.UsageTracker;
import dev.callbacks.event.EmbeddingEndEvent;
import dev.callbacks.event.EmbeddingStartEvent;
import dev.callbacks.test.RecordingHandler;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** The post-processor that makes the calls of EmbeddingModel beans embedding runs. */
class EmbeddingModelTracingPostProcessorTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CallbacksAutoConfiguration.class))
		.withBean("recordingHandler", RecordingHandler.class);

	@Test
	void embeddingModelBeansAreClassProxiesThatKeepTheirType() {
		this.contextRunner.withBean(WordModel.class).run(context -> {
			assertThat(context).hasSingleBean(EmbeddingModelTracingPostProcessor.class);
			WordModel model = context.getBean(WordModel.class);
			assertThat(AopUtils.isCglibProxy(model)).isTrue();

			// embed(String) is the interface's: its call() goes through the proxy, so the
			// run has the usage the model reported.
			try (UsageTracker tracker = UsageTracker.start()) {
				assertThat(model.embed("pink roses")).hasSize(3);
				assertThat(tracker.embeddingTokens()).isEqualTo(WordModel.TOKENS_PER_INPUT);
				assertThat(tracker.embeddingTokensEstimated()).isFalse();
			}
			RecordingHandler handler = context.getBean(RecordingHandler.class);
			assertThat(handler.kinds()).containsExactly("embedding_start", "embedding_end");
			assertThat(handler.single(EmbeddingStartEvent.class).name()).isEqualTo("WordModel");
			assertThat(handler.single(EmbeddingEndEvent.class).model()).isEqualTo("word-model");
		});
	}

	@Test
	void callsThroughTheGenericModelInterfaceAreSeenToo() {
		this.contextRunner.withBean(WordModel.class).run(context -> {
			org.springframework.ai.model.Model<EmbeddingRequest, EmbeddingResponse> generic = context
				.getBean(WordModel.class);
			try (UsageTracker tracker = UsageTracker.start()) {
				generic.call(new EmbeddingRequest(List.of("roses", "lilies"), null));
				assertThat(tracker.embeddingRequests()).isEqualTo(1);
				assertThat(tracker.embeddingTokens()).isEqualTo(2 * WordModel.TOKENS_PER_INPUT);
			}
		});
	}

	@Test
	void asyncHandlersAreAwaitedBeforeTheCallReturns() {
		this.contextRunner.withBean(WordModel.class).withBean(AsyncEmbeddingHandler.class).run(context -> {
			AsyncEmbeddingHandler handler = context.getBean(AsyncEmbeddingHandler.class);
			context.getBean(WordModel.class).embed("roses");
			// The end handler completes after a delay: the call returned only once it
			// had.
			assertThat(handler.ended).hasSize(1);
			assertThat(handler.ended.get(0).usage().promptTokens()).isEqualTo(WordModel.TOKENS_PER_INPUT);
		});
	}

	@Test
	void aModelThatReportsNoUsageIsEstimated() {
		this.contextRunner.withBean(SilentModel.class).run(context -> {
			try (UsageTracker tracker = UsageTracker.start()) {
				context.getBean(SilentModel.class).embed(List.of("pink roses", "white lilies"));
				assertThat(tracker.embeddingRequests()).isEqualTo(1);
				assertThat(tracker.embeddingTokens()).isPositive();
				assertThat(tracker.embeddingTokensEstimated()).isTrue();
			}
		});
	}

	@Test
	void aModelDelegatingToAnotherModelBeanIsOneRun() {
		this.contextRunner.withUserConfiguration(DelegatingModels.class).run(context -> {
			DelegatingModel outer = context.getBean(DelegatingModel.class);
			assertThat(AopUtils.isCglibProxy(outer)).isTrue();
			assertThat(AopUtils.isCglibProxy(context.getBean(WordModel.class))).isTrue();
			try (UsageTracker tracker = UsageTracker.start()) {
				outer.embed("roses");
				assertThat(tracker.embeddingRequests()).isEqualTo(1);
			}
			RecordingHandler handler = context.getBean(RecordingHandler.class);
			assertThat(handler.kinds()).containsExactly("embedding_start", "embedding_end");
			assertThat(handler.single(EmbeddingStartEvent.class).name()).isEqualTo("DelegatingModel");
		});
	}

	@Test
	void aCallNobodyListensToIsNotWrapped() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CallbacksAutoConfiguration.class))
			.withBean(RunSpyingModel.class)
			.run(context -> {
				RunSpyingModel model = context.getBean(RunSpyingModel.class);
				assertThat(AopUtils.isCglibProxy(model)).isTrue();
				model.embed("roses");
				assertThat(model.runs()).containsExactly("none");
				try (UsageTracker tracker = UsageTracker.start()) {
					model.embed("roses");
				}
				assertThat(model.runs()).containsExactly("none", "EmbeddingRun");
			});
	}

	@Test
	void finalModelClassesAreLeftAlone() {
		this.contextRunner.withBean(FinalModel.class).run(context -> {
			FinalModel model = context.getBean(FinalModel.class);
			assertThat(AopUtils.isAopProxy(model)).isFalse();
			assertThat(model.embed("roses")).hasSize(3);
			assertThat(context.getBean(RecordingHandler.class).events()).isEmpty();
		});
	}

	@Test
	void disabledByProperty() {
		this.contextRunner.withBean(WordModel.class)
			.withPropertyValues("callbacks.embedding.enabled=false")
			.run(context -> {
				assertThat(context).doesNotHaveBean(EmbeddingModelTracingPostProcessor.class);
				WordModel model = context.getBean(WordModel.class);
				assertThat(AopUtils.isAopProxy(model)).isFalse();
				model.embed("roses");
				assertThat(context.getBean(RecordingHandler.class).events()).isEmpty();
			});
	}

	/** Embeds each input as three numbers and reports a fixed token count per input. */
	static class WordModel implements EmbeddingModel {

		static final int TOKENS_PER_INPUT = 7;

		@Override
		public EmbeddingResponse call(EmbeddingRequest request) {
			List<Embedding> embeddings = new ArrayList<>();
			for (int i = 0; i < request.getInstructions().size(); i++) {
				embeddings.add(new Embedding(vector(request.getInstructions().get(i)), i));
			}
			int tokens = TOKENS_PER_INPUT * request.getInstructions().size();
			return new EmbeddingResponse(embeddings, new org.springframework.ai.embedding.EmbeddingResponseMetadata(
					"word-model", new org.springframework.ai.chat.metadata.DefaultUsage(tokens, 0, tokens)));
		}

		@Override
		public float[] embed(Document document) {
			return vector(document.getText());
		}

		@Override
		public int dimensions() {
			return 3;
		}

		static float[] vector(String text) {
			return new float[] { text.length(), text.split(" ").length, text.isEmpty() ? 0 : text.charAt(0) };
		}

	}

	/** Reports no usage, as some providers do. */
	static class SilentModel extends WordModel {

		@Override
		public EmbeddingResponse call(EmbeddingRequest request) {
			return new EmbeddingResponse(super.call(request).getResults());
		}

	}

	/** An embedding model bean that delegates to another one. */
	static class DelegatingModel implements EmbeddingModel {

		private final EmbeddingModel delegate;

		DelegatingModel(EmbeddingModel delegate) {
			this.delegate = delegate;
		}

		@Override
		public EmbeddingResponse call(EmbeddingRequest request) {
			return this.delegate.call(request);
		}

		@Override
		public float[] embed(Document document) {
			return this.delegate.embed(document);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DelegatingModels {

		@Bean
		WordModel wordModel() {
			return new WordModel();
		}

		@Bean
		DelegatingModel delegatingModel(WordModel wordModel) {
			return new DelegatingModel(wordModel);
		}

	}

	static class AsyncEmbeddingHandler implements AsyncCallbackHandler {

		final List<EmbeddingEndEvent> ended = java.util.Collections.synchronizedList(new ArrayList<>());

		@Override
		public Mono<Void> onEmbeddingEnd(EmbeddingEndEvent event) {
			return Mono.delay(Duration.ofMillis(50)).doOnNext(tick -> this.ended.add(event)).then();
		}

	}

	/** Notes the run current while the provider is called. */
	static class RunSpyingModel extends WordModel {

		private final List<String> runs = new ArrayList<>();

		// A method, not the field: the proxy's own fields are not the bean's.
		public List<String> runs() {
			return this.runs;
		}

		@Override
		public EmbeddingResponse call(EmbeddingRequest request) {
			dev.callbacks.internal.Run run = dev.callbacks.internal.Run.current();
			this.runs.add((run != null) ? run.getClass().getSimpleName() : "none");
			return super.call(request);
		}

	}

	static final class FinalModel extends WordModel {

	}

}
