package dev.callbacks.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.callbacks.UsageTracker;
import dev.callbacks.metrics.LlmMeters;
import dev.callbacks.openai.ReactorHooks;
import dev.callbacks.test.OpenAiMockServer;
import dev.callbacks.test.OpenAiMockServer.Reply;
import dev.callbacks.test.OpenAiMockServer.Tokens;
import dev.callbacks.web.UsageTrackingServletFilter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration;
import org.springframework.ai.model.openai.autoconfigure.OpenAiChatAutoConfiguration;
import org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Spring MVC handlers that return {@code Mono}, {@code Flux} or {@code Callable} finish
 * their LLM work after the request thread has left the filter: the request's tracker
 * counts that work, and {@code llm.http.request.tokens} records the request once, when
 * the async request completes. Spring AI's real OpenAI client against a local server.
 */
@Timeout(60)
class ServletAsyncUsageTrackingTests {

	private static final OpenAiMockServer server = OpenAiMockServer.start();

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CallbacksAutoConfiguration.class,
				CallbacksMetricsAutoConfiguration.class, CallbacksWebAutoConfiguration.class,
				OpenAiChatAutoConfiguration.class, ToolCallingAutoConfiguration.class,
				ChatClientAutoConfiguration.class, WebMvcAutoConfiguration.class, JacksonAutoConfiguration.class,
				HttpMessageConvertersAutoConfiguration.class))
		.withUserConfiguration(App.class)
		.withPropertyValues(server.springBootProperties())
		.withPropertyValues("callbacks.usage.http-header=true");

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@AfterEach
	void noReplyLeft() {
		server.respondWith(request -> Reply.serverError());
	}

	@Test
	void monoOfAStreamIsCountedAndRecordedOnceWhenTheAsyncRequestCompletes() {
		server.respondWith(request -> Reply.tokens("Roses", " are", " red.")
			.withUsage(Tokens.of(21, 9))
			.withChunkDelay(Duration.ofMillis(20)));
		this.contextRunner.run(context -> {
			MockMvc mvc = mockMvc(context);

			MvcResult started = mvc.perform(get("/mono/rose")).andExpect(request().asyncStarted()).andReturn();
			// The request thread has left the filter; the stream is still running.
			assertThat(summary(context, "/mono/{name}")).isNull();

			mvc.perform(asyncDispatch(started))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.answer").value("Roses are red."))
				.andExpect(jsonPath("$.total").value(30))
				.andExpect(header().string("LLM-Usage", startsWith("prompt=21, completion=9, total=30")));

			DistributionSummary summary = summary(context, "/mono/{name}");
			assertThat(summary).isNotNull();
			assertThat(summary.count()).isOne();
			assertThat(summary.totalAmount()).isEqualTo(30);
		});
	}

	@Test
	void fluxOfTokensIsRecordedOnceWithTheWholeStream() {
		server.respondWith(request -> Reply.tokens("Tulips", " are", " yellow.")
			.withUsage(Tokens.of(17, 5))
			.withChunkDelay(Duration.ofMillis(20)));
		this.contextRunner.run(context -> {
			MockMvc mvc = mockMvc(context);

			MvcResult started = mvc.perform(get("/flux/tulip")).andExpect(request().asyncStarted()).andReturn();
			mvc.perform(asyncDispatch(started)).andExpect(status().isOk());
			assertThat(started.getResponse().getContentAsString()).isEqualTo("Tulips are yellow.");

			DistributionSummary summary = summary(context, "/flux/{name}");
			assertThat(summary).isNotNull();
			assertThat(summary.count()).isOne();
			assertThat(summary.totalAmount()).isEqualTo(22);
		});
	}

	@Test
	void callableRunsOnAnotherThreadAndIsCounted() {
		server.respondWith(request -> Reply.text("Lilies are white.").withUsage(Tokens.of(40, 4)));
		this.contextRunner.run(context -> {
			MockMvc mvc = mockMvc(context);

			MvcResult started = mvc.perform(get("/callable/lily")).andExpect(request().asyncStarted()).andReturn();
			mvc.perform(asyncDispatch(started))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.total").value(44))
				.andExpect(jsonPath("$.sameThread").value(false));

			DistributionSummary summary = summary(context, "/callable/{name}");
			assertThat(summary).isNotNull();
			assertThat(summary.count()).isOne();
			assertThat(summary.totalAmount()).isEqualTo(44);
		});
	}

	@Test
	void synchronousRequestsAreStillRecordedAtOnce() {
		server.respondWith(request -> Reply.text("Daisies.").withUsage(Tokens.of(8, 2)));
		this.contextRunner.run(context -> {
			MockMvc mvc = mockMvc(context);

			mvc.perform(get("/sync/daisy"))
				.andExpect(request().asyncNotStarted())
				.andExpect(status().isOk())
				.andExpect(content().string(org.hamcrest.Matchers.containsString("\"total\":10")));

			DistributionSummary summary = summary(context, "/sync/{name}");
			assertThat(summary).isNotNull();
			assertThat(summary.count()).isOne();
			assertThat(summary.totalAmount()).isEqualTo(10);
		});
	}

	@Test
	void callOnAnotherSchedulerIsCountedOnlyWithAutomaticContextPropagation() {
		// What the start-up INFO line says about Mono.fromCallable(...).subscribeOn(...).
		server.respondWith(request -> Reply.text("Orchids.").withUsage(Tokens.of(12, 3)));
		this.contextRunner.run(context -> {
			MockMvc mvc = mockMvc(context);
			ReactorHooks.withAutomaticContextPropagation(false, () -> {
				MvcResult started = mvc.perform(get("/elastic/orchid")).andExpect(request().asyncStarted()).andReturn();
				mvc.perform(asyncDispatch(started)).andExpect(status().isOk()).andExpect(jsonPath("$.total").value(0));
			});
			ReactorHooks.withAutomaticContextPropagation(true, () -> {
				MvcResult started = mvc.perform(get("/elastic/orchid")).andExpect(request().asyncStarted()).andReturn();
				mvc.perform(asyncDispatch(started)).andExpect(status().isOk()).andExpect(jsonPath("$.total").value(15));
			});

			DistributionSummary summary = summary(context, "/elastic/{name}");
			assertThat(summary).isNotNull();
			assertThat(summary.count()).isOne();
			assertThat(summary.totalAmount()).isEqualTo(15);
		});
	}

	private static MockMvc mockMvc(AssertableWebApplicationContext context) {
		return MockMvcBuilders.webAppContextSetup(context)
			.addFilters(context.getBean(UsageTrackingServletFilter.class))
			.build();
	}

	private static DistributionSummary summary(AssertableWebApplicationContext context, String uri) {
		return context.getBean(MeterRegistry.class)
			.find(LlmMeters.HTTP_REQUEST_TOKENS)
			.tag(LlmMeters.TAG_URI, uri)
			.summary();
	}

	private static org.hamcrest.Matcher<String> startsWith(String prefix) {
		return org.hamcrest.Matchers.startsWith(prefix);
	}

	@Configuration(proxyBeanMethods = false)
	static class App {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		FlowerController flowerController(ChatClient.Builder builder) {
			return new FlowerController(builder.build());
		}

	}

	@RestController
	static class FlowerController {

		private final ChatClient client;

		FlowerController(ChatClient client) {
			this.client = client;
		}

		@GetMapping("/sync/{name}")
		Map<String, Object> sync(@PathVariable String name, UsageTracker usage) {
			String answer = this.client.prompt(name).call().content();
			return Map.of("answer", answer, "total", usage.totalTokens());
		}

		@GetMapping("/mono/{name}")
		Mono<Map<String, Object>> mono(@PathVariable String name, UsageTracker usage) {
			return this.client.prompt(name)
				.stream()
				.content()
				.collectList()
				.map(tokens -> Map.of("answer", String.join("", tokens), "total", usage.totalTokens()));
		}

		@GetMapping(path = "/flux/{name}", produces = MediaType.TEXT_PLAIN_VALUE)
		Flux<String> flux(@PathVariable String name) {
			return this.client.prompt(name).stream().content();
		}

		@GetMapping("/elastic/{name}")
		Mono<Map<String, Object>> elastic(@PathVariable String name, UsageTracker usage) {
			return Mono.fromCallable(() -> this.client.prompt(name).call().content())
				.subscribeOn(Schedulers.boundedElastic())
				.map(answer -> Map.of("answer", answer, "total", usage.totalTokens()));
		}

		@GetMapping("/callable/{name}")
		Callable<Map<String, Object>> callable(@PathVariable String name, UsageTracker usage) {
			Thread requestThread = Thread.currentThread();
			return () -> {
				String answer = this.client.prompt(name).call().content();
				return Map.of("answer", answer, "total", usage.totalTokens(), "sameThread",
						Thread.currentThread() == requestThread);
			};
		}

	}

}
