package dev.callbacks.autoconfigure;

import java.nio.file.Path;
import java.util.List;

import dev.callbacks.CallbackManager;
import dev.callbacks.usage.ModelPrices;
import dev.callbacks.usage.TokenUsage;
import dev.callbacks.handlers.FileCallbackHandler;
import dev.callbacks.handlers.StdOutCallbackHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Scheduler;

import dev.callbacks.test.ScriptedChatModel;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.DefaultChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.aop.support.AopUtils;
import org.springframework.ai.chat.client.ChatClientBuilderCustomizer;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import dev.callbacks.test.RecordingHandler;
import org.springframework.ai.chat.client.ChatClientAttributes;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration;
import org.springframework.ai.model.chat.client.autoconfigure.ChatClientBuilderConfigurer;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;

import static org.assertj.core.api.Assertions.assertThat;

class CallbacksAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CallbacksAutoConfiguration.class));

	@Test
	void defaultsProvideTheManagerTheCustomizerAndThePostProcessor() {
		this.contextRunner.run(context -> {
			assertThat(context).hasSingleBean(CallbackManager.class)
				.hasSingleBean(ModelPrices.class)
				.hasSingleBean(ChatClientBuilderCustomizer.class)
				.hasSingleBean(CallbacksChatClientPostProcessor.class)
				.doesNotHaveBean(StdOutCallbackHandler.class)
				.doesNotHaveBean(FileCallbackHandler.class);
			assertThat(context.getBean(ModelPrices.class).lookup("gpt-4o-mini-2024-07-18")).isNotNull();
		});
	}

	@Test
	void backsOffFromAUserManagerAndPrices() {
		this.contextRunner.withUserConfiguration(UserBeans.class).run(context -> {
			assertThat(context.getBean(CallbackManager.class)).isSameAs(context.getBean("userManager"));
			assertThat(context.getBean(ModelPrices.class)).isSameAs(context.getBean("userPrices"));
		});
	}

	@Test
	void chatModelBeansObserveTheirRoundsAndClientsGetOnlyTheChainAdvisor() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(
					org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration.class,
					org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration.class))
			.withBean(ScriptedChatModel.class, ScriptedChatModel::new)
			.run(context -> {
				ChatModel model = context.getBean(ChatModel.class);
				assertThat(model).isInstanceOf(ScriptedChatModel.class);
				assertThat(AopUtils.isCglibProxy(model)).as("traced, keeping its type").isTrue();
				assertThat(callbackAdvisors(context.getBean(ChatClient.Builder.class).build()))
					.containsExactly("ChainRunAdvisor");
			});
	}

	@Test
	void aFinalChatModelIsTracedInsideTheAutoConfiguredClients() {
		this.contextRunner.withConfiguration(springAiChatClient())
			.withBean(FinalChatModel.class, FinalChatModel::new)
			.withBean(RecordingHandler.class, RecordingHandler::new)
			.run(context -> {
				ChatModel bean = context.getBean(ChatModel.class);
				assertThat(AopUtils.isAopProxy(bean)).as("the bean keeps its own type").isFalse();
				ChatClient.Builder builder = context.getBean(ChatClient.Builder.class);
				assertThat(builder).isInstanceOf(TracedModelChatClientBuilder.class);
				ChatClient client = builder.build();
				assertThat(callbackAdvisors(client)).containsExactly("ChainRunAdvisor");

				client.prompt("Roses?").call().chatResponse();
				// The round is an LLM run although no advisor stands for it: the model is
				// traced inside the client.
				assertThat(context.getBean(RecordingHandler.class).kinds()).containsExactly("chain_start", "llm_start",
						"llm_end", "chain_end");
			});
	}

	@Test
	void aBuilderTheApplicationConfiguresOverAFinalModelKeepsTheLlmAdvisor() {
		this.contextRunner.withConfiguration(springAiChatClient())
			.withBean(FinalChatModel.class, FinalChatModel::new)
			.run(context -> {
				// Not the auto-configured builder: its model is the bean, untraced.
				ChatClient.Builder own = context.getBean(ChatClientBuilderConfigurer.class)
					.configure(ChatClient.builder(context.getBean(ChatModel.class)));
				assertThat(callbackAdvisors(own.build())).containsExactly("ChainRunAdvisor", "LlmRunAdvisor");
			});
	}

	@Test
	void theBuilderKeepsSpringAiSettings() {
		this.contextRunner.withConfiguration(springAiChatClient())
			.withBean(ScriptedChatModel.class, ScriptedChatModel::new)
			.withPropertyValues("spring.ai.chat.client.tool-calling.enabled=false")
			.run(context -> {
				ChatClient client = context.getBean(ChatClient.Builder.class).build();
				assertThat(((DefaultChatClient.DefaultChatClientRequestSpec) client.prompt()).getAdvisorParams())
					.containsEntry(ChatClientAttributes.TOOL_CALLING_ADVISOR_AUTO_REGISTER.getKey(), false);
			});
	}

	@Test
	void noBuilderWhereSpringAiHasNone() {
		this.contextRunner.withConfiguration(springAiChatClient())
			.withBean(FinalChatModel.class, FinalChatModel::new)
			.withPropertyValues("spring.ai.chat.client.enabled=false")
			.run(context -> assertThat(context).doesNotHaveBean(ChatClient.Builder.class));
		this.contextRunner
			.withInitializer((applicationContext) -> ConditionEvaluationReport.get(applicationContext.getBeanFactory())
				.recordExclusions(List.of(ChatClientAutoConfiguration.class.getName())))
			.withBean(FinalChatModel.class, FinalChatModel::new)
			.run(context -> assertThat(context).doesNotHaveBean(ChatClient.Builder.class));
	}

	@Test
	void backsOffFromABuilderOfTheApplication() {
		this.contextRunner.withConfiguration(springAiChatClient())
			.withBean(FinalChatModel.class, FinalChatModel::new)
			.withBean("userBuilder", ChatClient.Builder.class, () -> ChatClient.builder(new FinalChatModel()))
			.run(context -> assertThat(context.getBean(ChatClient.Builder.class))
				.isNotInstanceOf(TracedModelChatClientBuilder.class));
	}

	private static AutoConfigurations springAiChatClient() {
		return AutoConfigurations.of(org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration.class,
				ChatClientAutoConfiguration.class);
	}

	private static List<String> callbackAdvisors(ChatClient client) {
		return ((DefaultChatClient.DefaultChatClientRequestSpec) client.prompt()).getAdvisors()
			.stream()
			.filter(advisor -> advisor.getClass().getPackageName().startsWith("dev.callbacks"))
			.map(advisor -> advisor.getClass().getSimpleName())
			.toList();
	}

	/** Like Spring AI 2.0.1's OpenAI and Anthropic models: a final class. */
	static final class FinalChatModel implements ChatModel {

		@Override
		public ChatResponse call(Prompt prompt) {
			return new ChatResponse(List.of(new Generation(new AssistantMessage("Roses."))));
		}

	}

	@Test
	void keepsSpringAiFromObservingTheCallbackAdvisors() {
		this.contextRunner
			.run(context -> assertThat(context).getBeans(io.micrometer.observation.ObservationPredicate.class)
				.containsKey("callbackAdvisorsObservationPredicate"));
	}

	@Test
	void schedulerOfSyncHandlersIsOwnedByTheContext() {
		Scheduler[] scheduler = new Scheduler[1];
		this.contextRunner.withPropertyValues("callbacks.async.sync-handlers=scheduler").run(context -> {
			scheduler[0] = context.getBean(CallbacksAutoConfiguration.SYNC_HANDLER_SCHEDULER, Scheduler.class);
			assertThat(context.getBean(CallbackManager.class).syncHandlerScheduler()).isSameAs(scheduler[0]);
			assertThat(scheduler[0].isDisposed()).isFalse();
		});
		assertThat(scheduler[0].isDisposed()).as("disposed when the context closed").isTrue();
	}

	@Test
	void noSchedulerForInlineSyncHandlers() {
		this.contextRunner.run(context -> {
			assertThat(context).doesNotHaveBean(Scheduler.class);
			assertThat(context.getBean(CallbackManager.class).syncHandlerScheduler()).isNull();
		});
	}

	@Test
	void disabledByProperty() {
		this.contextRunner.withPropertyValues("callbacks.enabled=false").run(context -> {
			assertThat(context).doesNotHaveBean(CallbackManager.class)
				.doesNotHaveBean(ChatClientBuilderCustomizer.class)
				.doesNotHaveBean(CallbacksChatClientPostProcessor.class);
		});
	}

	@Test
	void absentWithoutSpringAiChatClient() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ChatClient.class))
			.run(context -> assertThat(context).doesNotHaveBean(CallbackManager.class));
	}

	@Test
	void verboseAddsTheStdOutHandler() {
		this.contextRunner.withPropertyValues("callbacks.verbose=true")
			.run(context -> assertThat(context).hasSingleBean(StdOutCallbackHandler.class));
	}

	@Test
	void filePathAddsTheFileHandler(@TempDir Path dir) {
		Path log = dir.resolve("output.log");
		this.contextRunner.withPropertyValues("callbacks.file.path=" + log).run(context -> {
			assertThat(context).hasSingleBean(FileCallbackHandler.class);
			assertThat(context.getBean(FileCallbackHandler.class).path()).isEqualTo(log);
		});
	}

	@Test
	void unwritableFilePathFailsStartUpNamingTheProperty(@TempDir Path dir) {
		Path log = dir.resolve("missing-folder").resolve("output.log");
		this.contextRunner.withPropertyValues("callbacks.file.path=" + log).run(context -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("callbacks.file.path");
		});
	}

	@Test
	void invalidFileRotationFailsStartUpNamingTheProperty(@TempDir Path dir) {
		Path log = dir.resolve("output.log");
		this.contextRunner.withPropertyValues("callbacks.file.path=" + log, "callbacks.file.max-size=0B")
			.run(context -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("callbacks.file.max-size"));
		this.contextRunner.withPropertyValues("callbacks.file.path=" + log, "callbacks.file.max-history=-1")
			.run(context -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("callbacks.file.max-history"));
	}

	@Test
	void priceOverridesAreLaidOverTheBundledTable() {
		this.contextRunner.withPropertyValues("callbacks.pricing.models.[my-model].prompt=1.5",
				"callbacks.pricing.models.[my-model].completion=2", "callbacks.pricing.models.[gpt-4o-mini].prompt=100",
				"callbacks.pricing.models.[gpt-4o-mini].completion=200")
			.run(context -> {
				ModelPrices prices = context.getBean(ModelPrices.class);
				assertThat(prices.cost("my-model-v2", TokenUsage.of(1_000_000, 1_000_000))).isEqualByComparingTo("3.5");
				assertThat(prices.cost("gpt-4o-mini-2024-07-18", TokenUsage.of(1_000_000, 0)))
					.isEqualByComparingTo("100");
				assertThat(prices.lookup("gpt-4o")).isNotNull();
			});
	}

	@Test
	void negativePriceFailsStartUpNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("callbacks.pricing.models.[my-model].prompt=-1",
					"callbacks.pricing.models.[my-model].completion=2")
			.run(context -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("callbacks.pricing.models.[my-model].prompt")
					.hasMessageContaining("must not be negative");
			});
	}

	@Test
	void incompletePriceFailsStartUpNamingTheMissingProperty() {
		this.contextRunner.withPropertyValues("callbacks.pricing.models.[my-model].prompt=1").run(context -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("callbacks.pricing.models.[my-model].completion");
		});
	}

	@Test
	void malformedPriceFailsStartUpNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("callbacks.pricing.models.[my-model].prompt=cheap",
					"callbacks.pricing.models.[my-model].completion=2")
			.run(context -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining(
						"Failed to bind properties under 'callbacks.pricing.models[my-model].prompt'");
			});
	}

	@Test
	void nonPositiveAsyncTimeoutFailsStartUpNamingTheProperty() {
		this.contextRunner.withPropertyValues("callbacks.async.timeout=0s").run(context -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("callbacks.async.timeout");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		@Bean
		CallbackManager userManager() {
			return CallbackManager.builder().build();
		}

		@Bean
		ModelPrices userPrices() {
			return ModelPrices.of(java.util.Map.of());
		}

	}

}
