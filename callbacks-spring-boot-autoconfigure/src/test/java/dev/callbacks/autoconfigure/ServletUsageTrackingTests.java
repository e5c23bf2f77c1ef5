package dev.callbacks.autoconfigure;

import java.util.Map;

import dev.callbacks.UsageTracker;
import dev.callbacks.metrics.LlmMeters;
import dev.callbacks.test.ScriptedChatModel;
import dev.callbacks.test.ScriptedChatModel.Reply;
import dev.callbacks.web.UsageTrackingServletFilter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Spring MVC: a tracker per request, as a controller argument and in the LLM-Usage
 * header.
 */
class ServletUsageTrackingTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CallbacksAutoConfiguration.class,
				CallbacksMetricsAutoConfiguration.class, CallbacksWebAutoConfiguration.class,
				org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration.class,
				org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration.class,
				org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration.class,
				org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration.class,
				org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration.class))
		.withUserConfiguration(App.class);

	@Test
	void eachRequestGetsItsOwnTrackerHeaderAndMeter() {
		this.contextRunner.withPropertyValues("callbacks.usage.http-header=true").run(context -> {
			context.getBean(ScriptedChatModel.class)
				.respondWith(prompt -> Reply.text("ok").usage(prompt.getContents().length(), 2));
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context)
				.addFilters(context.getBean(UsageTrackingServletFilter.class))
				.build();

			mvc.perform(get("/ask/hello"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.total").value(7))
				.andExpect(header().string("LLM-Usage", "prompt=5, completion=2, total=7, cost=0"));
			mvc.perform(get("/ask/bonjour!"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.total").value(10))
				.andExpect(header().string("LLM-Usage", "prompt=8, completion=2, total=10, cost=0"));

			DistributionSummary summary = context.getBean(MeterRegistry.class)
				.get(LlmMeters.HTTP_REQUEST_TOKENS)
				.tag(LlmMeters.TAG_URI, "/ask/{question}")
				.summary();
			assertThat(summary.count()).isEqualTo(2);
			assertThat(summary.totalAmount()).isEqualTo(17);
		});
	}

	@Test
	void noHeaderUnlessAskedFor() {
		this.contextRunner.run(context -> {
			context.getBean(ScriptedChatModel.class).respondWith(prompt -> Reply.text("ok").usage(1, 1));
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context)
				.addFilters(context.getBean(UsageTrackingServletFilter.class))
				.build();
			mvc.perform(get("/ask/x")).andExpect(status().isOk()).andExpect(header().doesNotExist("LLM-Usage"));
		});
	}

	@Test
	void perRequestTrackingCanBeSwitchedOff() {
		this.contextRunner.withPropertyValues("callbacks.usage.per-request=false")
			.run(context -> assertThat(context).doesNotHaveBean(UsageTrackingServletFilter.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class App {

		@Bean
		ScriptedChatModel chatModel() {
			return new ScriptedChatModel();
		}

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		AskController askController(ChatClient.Builder builder) {
			return new AskController(builder.build());
		}

	}

	@RestController
	static class AskController {

		private final ChatClient client;

		AskController(ChatClient client) {
			this.client = client;
		}

		@GetMapping("/ask/{question}")
		Map<String, Object> ask(@PathVariable String question, UsageTracker usage) {
			String answer = this.client.prompt(question).call().content();
			return Map.of("answer", answer, "total", usage.totalTokens());
		}

	}

}
