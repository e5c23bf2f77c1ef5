package dev.callbacks.openai;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.callbacks.autoconfigure.CallbacksAutoConfiguration;
import dev.callbacks.autoconfigure.CallbacksMetricsAutoConfiguration;
import dev.callbacks.metrics.LlmMeters;
import dev.callbacks.test.OpenAiMockServer;
import dev.callbacks.test.OpenAiMockServer.Reply;
import dev.callbacks.test.ScriptedChatModel;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration;
import org.springframework.ai.model.openai.autoconfigure.OpenAiChatAutoConfiguration;
import org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Model names that come from user input cannot blow up the {@code llm.*} meters: an
 * application that lets its users pick the model, served by an OpenAI-compatible gateway
 * that answers under the name it was asked for (and rejects unknown ones with 404 as
 * OpenAI does), keeps a bounded set of {@code model} tag values — priced models under
 * their own name, a few unpriced ones, and {@code other}.
 */
@Timeout(120)
class OpenAiModelTagCardinalityTests {

	private static final OpenAiMockServer server = OpenAiMockServer.start();

	// tokens in and out, requests success and error, cost, time to first token.
	private static final int METERS_PER_MODEL = 6;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OpenAiChatAutoConfiguration.class, ToolCallingAutoConfiguration.class,
				ChatClientAutoConfiguration.class, CallbacksAutoConfiguration.class,
				CallbacksMetricsAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withPropertyValues(server.springBootProperties());

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@AfterEach
	void noResponderLeft() {
		server.respondWith(request -> Reply.serverError());
	}

	@Test
	void sixThousandRequestedModelNamesMakeABoundedNumberOfSeries() {
		// 6,000 round trips through the real OpenAI client would take a minute on a
		// small machine: the same wiring over an in-memory model that answers under the
		// requested name (the real client is in the next test, with fewer names).
		ScriptedChatModel model = new ScriptedChatModel().respondWith(prompt -> ScriptedChatModel.Reply.text("ok")
			.usage(3, 1)
			.model(Objects.requireNonNull(prompt.getOptions()).getModel()));
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(ToolCallingAutoConfiguration.class, ChatClientAutoConfiguration.class,
							CallbacksAutoConfiguration.class, CallbacksMetricsAutoConfiguration.class))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(ChatModel.class, () -> model)
			.run(context -> {
				ChatClient client = context.getBean(ChatClient.Builder.class).build();
				MeterRegistry registry = context.getBean(MeterRegistry.class);

				askConcurrently(client, List.of("gpt-4o-mini-2024-07-18", "gpt-4o"));
				askConcurrently(client, IntStream.range(0, 6000).mapToObj(i -> "user-model-" + i).toList());
				// Priced models keep their name after the flood too.
				askConcurrently(client, List.of("gpt-4.1-mini-2025-04-14"));

				Set<String> models = modelTags(registry);
				// The default bound: 10 unpriced names, then "other".
				assertThat(models).hasSize(3 + 10 + 1)
					.contains("gpt-4o-mini-2024-07-18", "gpt-4o", "gpt-4.1-mini-2025-04-14", LlmMeters.OTHER);
				assertThat(models).filteredOn(name -> name.startsWith("user-model-")).hasSize(10);
				assertThat(llmMeters(registry)).hasSize((3 + 10 + 1) * METERS_PER_MODEL);
				// Nothing is lost: every round trip is counted, under its name or
				// "other".
				assertThat(requests(registry)).isEqualTo(6003);
				assertThat(registry.get(LlmMeters.REQUESTS)
					.tag(LlmMeters.TAG_MODEL, LlmMeters.OTHER)
					.tag(LlmMeters.TAG_OUTCOME, LlmMeters.OUTCOME_SUCCESS)
					.counter()
					.count()).isEqualTo(5990);
			});
	}

	@Test
	void theRealOpenAiClientKeepsPricedNamesAndBoundsTheRest() {
		gatewayEchoingTheRequestedModel();
		this.contextRunner.run(context -> {
			ChatClient client = context.getBean(ChatClient.Builder.class).build();
			MeterRegistry registry = context.getBean(MeterRegistry.class);

			// A priced model first, answered (as OpenAI does) under its dated snapshot
			// name, which is priced through the gpt-4o-mini prefix.
			ask(client, OpenAiMockServer.MODEL, OpenAiMockServer.RESPONSE_MODEL);
			ask(client, "gpt-4o", "gpt-4o");
			askConcurrently(client, IntStream.range(0, 600).mapToObj(i -> "user-model-" + i).toList());
			ask(client, "gpt-4.1-mini", "gpt-4.1-mini-2025-04-14");

			Set<String> models = modelTags(registry);
			assertThat(models).hasSize(3 + 10 + 1)
				.contains(OpenAiMockServer.RESPONSE_MODEL, "gpt-4o", "gpt-4.1-mini-2025-04-14", LlmMeters.OTHER);
			assertThat(models).filteredOn(name -> name.startsWith("user-model-")).hasSize(10);
			assertThat(llmMeters(registry)).hasSize((3 + 10 + 1) * METERS_PER_MODEL);
			// Half of the names were rejected with 404: failed runs, counted too.
			assertThat(requests(registry)).isEqualTo(603);
			assertThat(registry.get(LlmMeters.REQUESTS)
				.tag(LlmMeters.TAG_MODEL, LlmMeters.OTHER)
				.tag(LlmMeters.TAG_OUTCOME, LlmMeters.OUTCOME_ERROR)
				.counter()
				.count()).isGreaterThanOrEqualTo(290);
		});
	}

	@Test
	void aPropertyWidensTheBound() {
		gatewayEchoingTheRequestedModel();
		this.contextRunner
			.withPropertyValues("callbacks.metrics.models.allowed=shop-llm-7b,shop-llm-70b",
					"callbacks.metrics.models.max-unpriced=50")
			.run(context -> {
				ChatClient client = context.getBean(ChatClient.Builder.class).build();
				MeterRegistry registry = context.getBean(MeterRegistry.class);

				askConcurrently(client, IntStream.range(0, 300).mapToObj(i -> "user-model-" + i).toList());
				// Listed: kept even after the unpriced bound is reached.
				ask(client, "shop-llm-7b", "shop-llm-7b");
				ask(client, "shop-llm-70b", "shop-llm-70b");

				Set<String> models = modelTags(registry);
				assertThat(models).contains("shop-llm-7b", "shop-llm-70b", LlmMeters.OTHER);
				assertThat(models).filteredOn(model -> model.startsWith("user-model-")).hasSize(50);
				assertThat(models).hasSize(2 + 50 + 1);
				assertThat(llmMeters(registry)).hasSize((2 + 50 + 1) * METERS_PER_MODEL);
			});
	}

	@Test
	void namesPricedOnlyThroughAPrefixAreBoundedToo() {
		// A name that starts like a priced model ("gpt-4o-mini-<anything>") is priced by
		// prefix; a flood of such names folds into the price entry they match, not into
		// 6 new series each.
		gatewayEchoingTheRequestedModel();
		this.contextRunner.withPropertyValues("callbacks.metrics.models.max-priced-variants=5").run(context -> {
			ChatClient client = context.getBean(ChatClient.Builder.class).build();
			MeterRegistry registry = context.getBean(MeterRegistry.class);

			askConcurrently(client, IntStream.range(0, 500).mapToObj(i -> "gpt-4o-mini-user-" + i).toList());

			Set<String> models = modelTags(registry);
			assertThat(models).contains("gpt-4o-mini").hasSize(5 + 1);
			assertThat(models).filteredOn(model -> model.startsWith("gpt-4o-mini-user-")).hasSize(5);
			assertThat(llmMeters(registry)).hasSize((5 + 1) * METERS_PER_MODEL);
		});
	}

	// An OpenAI-compatible gateway: answers under the requested name, except that names
	// ending in an odd number are unknown and rejected with 404, as OpenAI does (the run
	// then fails under the requested name).
	private static void gatewayEchoingTheRequestedModel() {
		server.respondWith(request -> {
			String model = request.model();
			if (model.matches(".*[13579]")) {
				return Reply.error(404, "invalid_request_error", "model_not_found",
						"The model `" + model + "` does not exist or you do not have access to it.");
			}
			return Reply.text("ok").withUsage(3, 1).withModel(model);
		});
	}

	private static void ask(ChatClient client, String requested, String answeredAs) {
		server.enqueue(Reply.text("ok").withUsage(3, 1).withModel(answeredAs));
		client.prompt("Hi").options(OpenAiChatOptions.builder().model(requested)).call().content();
	}

	private static void askConcurrently(ChatClient client, List<String> models) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> futures = models.stream().<Future<?>>map(model -> pool.submit(() -> {
				try {
					client.prompt("Hi").options(ChatOptions.builder().model(model)).call().content();
				}
				catch (RuntimeException ex) {
					// The 404s of unknown models.
				}
			})).toList();
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static double requests(MeterRegistry registry) {
		return registry.find(LlmMeters.REQUESTS).counters().stream().mapToDouble(counter -> counter.count()).sum();
	}

	private static Set<String> modelTags(MeterRegistry registry) {
		return llmMeters(registry).stream()
			.map(meter -> meter.getId().getTag(LlmMeters.TAG_MODEL))
			.collect(Collectors.toCollection(TreeSet::new));
	}

	private static List<Meter> llmMeters(MeterRegistry registry) {
		return registry.getMeters().stream().filter(meter -> meter.getId().getName().startsWith("llm.")).toList();
	}

}
