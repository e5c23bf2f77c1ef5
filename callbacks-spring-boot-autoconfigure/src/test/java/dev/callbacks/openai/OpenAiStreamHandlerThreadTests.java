package dev.callbacks.openai;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.callbacks.CallbackHandler;
import dev.callbacks.Callbacks;
import dev.callbacks.autoconfigure.CallbacksAutoConfiguration;
import dev.callbacks.event.ChainEndEvent;
import dev.callbacks.event.ChainStartEvent;
import dev.callbacks.event.ChatModelStartEvent;
import dev.callbacks.event.LlmEndEvent;
import dev.callbacks.event.LlmNewTokenEvent;
import dev.callbacks.test.OpenAiMockServer;
import dev.callbacks.test.OpenAiMockServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.DefaultChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration;
import org.springframework.ai.model.openai.autoconfigure.OpenAiChatAutoConfiguration;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where synchronous handlers of a {@code stream()} run with Spring AI's real OpenAI
 * client, recorded by thread name, in a WebFlux application on Netty: start events on the
 * thread that subscribes (the Netty event loop), tokens and end events on a Reactor
 * {@code boundedElastic} worker, because Spring AI's {@code ChatModelStreamAdvisor}
 * publishes the model's chunks on {@code Schedulers.boundedElastic()}. A sync handler
 * that blocks there holds one of the shared {@code boundedElastic} threads (10 per core)
 * for as long as it blocks. With {@code callbacks.async.sync-handlers=scheduler} they run
 * on threads of their own.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.main.web-application-type=reactive")
@AutoConfigureWebTestClient
class OpenAiStreamHandlerThreadTests {

	private static final OpenAiMockServer server = OpenAiMockServer.start();

	@Autowired
	private WebTestClient webTestClient;

	@Autowired
	private ChatClient.Builder chatClientBuilder;

	@DynamicPropertySource
	static void openAiServer(DynamicPropertyRegistry properties) {
		for (String property : server.springBootProperties()) {
			int equals = property.indexOf('=');
			properties.add(property.substring(0, equals), () -> property.substring(equals + 1));
		}
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void syncHandlersOfAStreamServedByWebFluxRunOnBoundedElasticNotOnTheEventLoop() {
		server.respondWith(request -> Reply.tokens("Roses", " are", " red.")
			.withUsage(9, 3)
			.withChunkDelay(Duration.ofMillis(20)));
		ThreadRecorder threads = FlowerController.threads;
		threads.clear();

		String body = this.webTestClient.mutate()
			.responseTimeout(Duration.ofSeconds(30))
			.build()
			.get()
			.uri("/flowers/{name}/stream", "rose")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();

		assertThat(body).isEqualTo("Roses are red.");
		// The controller runs on a Netty event loop (reactor-http-epoll-N, or as Spring
		// Boot names them, webflux-http-epoll-N), which subscribes to the stream.
		String eventLoop = threads.of("controller").get(0);
		assertThat(eventLoop).containsPattern("-http-(epoll|nio|kqueue)-");
		// Start events run where the stream is subscribed: on that event loop.
		assertThat(threads.of("onChainStart")).containsExactly(eventLoop);
		assertThat(threads.of("onChatModelStart")).containsExactly(eventLoop);
		// Everything that follows a chunk runs on a boundedElastic worker: Spring AI's
		// ChatClient publishes the model's chunks there, whatever the model.
		assertThat(threads.of("onLlmNewToken")).hasSize(3)
			.allSatisfy(name -> assertThat(name).startsWith("boundedElastic-"));
		assertThat(threads.of("onLlmEnd")).singleElement().asString().startsWith("boundedElastic-");
		assertThat(threads.of("onChainEnd")).singleElement().asString().startsWith("boundedElastic-");
	}

	@Test
	void withTheSchedulerOptionSyncHandlersRunOnTheirOwnThreads() {
		server.respondWith(request -> Reply.tokens("Lilies", " are", " white.").withUsage(7, 3));
		ThreadRecorder threads = new ThreadRecorder();
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(OpenAiChatAutoConfiguration.class, ToolCallingAutoConfiguration.class,
							ChatClientAutoConfiguration.class, CallbacksAutoConfiguration.class))
			.withPropertyValues(server.springBootProperties())
			.withPropertyValues("callbacks.async.sync-handlers=scheduler")
			.withBean(ThreadRecorder.class, () -> threads)
			.run(context -> {
				// OpenAiChatModel is final in Spring AI 2.0.1: its bean keeps its class,
				// and
				// the auto-configured builder traces it inside the client, so the chain
				// advisor is the client's only callback advisor and the rounds below are
				// still LLM runs.
				assertThat(context.getBean(ChatModel.class)).isExactlyInstanceOf(OpenAiChatModel.class);
				ChatClient client = context.getBean(ChatClient.Builder.class).build();
				assertThat(((DefaultChatClient.DefaultChatClientRequestSpec) client.prompt()).getAdvisors())
					.filteredOn((advisor) -> advisor.getClass().getPackageName().startsWith("dev.callbacks"))
					.extracting((advisor) -> advisor.getClass().getSimpleName())
					.containsExactly("ChainRunAdvisor");
				StepVerifier.create(client.prompt("lily").stream().content())
					.expectNext("Lilies", " are", " white.")
					.expectComplete()
					.verify(Duration.ofSeconds(10));
			});

		for (String event : List.of("onChainStart", "onChatModelStart", "onLlmNewToken", "onLlmEnd", "onChainEnd")) {
			assertThat(threads.of(event)).as(event)
				.isNotEmpty()
				.allSatisfy(name -> assertThat(name).startsWith("callbacks-sync-handlers-"));
		}
	}

	@Test
	void syncHandlersOfAStreamSubscribedFromAnyThreadRunOnBoundedElastic() {
		server.respondWith(request -> Reply.tokens("Tulips", " are", " yellow.").withUsage(7, 3));
		ThreadRecorder threads = new ThreadRecorder();

		StepVerifier.create(
				this.chatClientBuilder.build().prompt("tulip").advisors(Callbacks.handlers(threads)).stream().content())
			.expectNext("Tulips", " are", " yellow.")
			.expectComplete()
			.verify(Duration.ofSeconds(10));

		assertThat(threads.of("onLlmNewToken")).hasSize(3)
			.allSatisfy(name -> assertThat(name).startsWith("boundedElastic-"));
		assertThat(threads.of("onLlmEnd")).singleElement().asString().startsWith("boundedElastic-");
	}

	/** Records the name of the thread each event was handled on. */
	static final class ThreadRecorder implements CallbackHandler {

		private final Map<String, List<String>> threads = new ConcurrentHashMap<>();

		void record(String event) {
			this.threads.computeIfAbsent(event, e -> new CopyOnWriteArrayList<>())
				.add(Thread.currentThread().getName());
		}

		List<String> of(String event) {
			return this.threads.getOrDefault(event, List.of());
		}

		void clear() {
			this.threads.clear();
		}

		@Override
		public void onChainStart(ChainStartEvent event) {
			record("onChainStart");
		}

		@Override
		public void onChainEnd(ChainEndEvent event) {
			record("onChainEnd");
		}

		@Override
		public void onChatModelStart(ChatModelStartEvent event) {
			record("onChatModelStart");
		}

		@Override
		public void onLlmNewToken(LlmNewTokenEvent event) {
			record("onLlmNewToken");
		}

		@Override
		public void onLlmEnd(LlmEndEvent event) {
			record("onLlmEnd");
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(FlowerController.class)
	static class WebApplication {

	}

	@RestController
	static class FlowerController {

		static final ThreadRecorder threads = new ThreadRecorder();

		private final ChatClient chatClient;

		FlowerController(ChatClient.Builder chatClientBuilder) {
			this.chatClient = chatClientBuilder.defaultAdvisors(Callbacks.handlers(threads)).build();
		}

		@GetMapping(path = "/flowers/{name}/stream", produces = MediaType.TEXT_PLAIN_VALUE)
		Flux<String> stream(@PathVariable String name) {
			threads.record("controller");
			return this.chatClient.prompt(name).stream().content();
		}

	}

}
