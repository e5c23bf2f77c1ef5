package dev.callbacks.autoconfigure;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import dev.callbacks.BaseCallbackHandler;
import dev.callbacks.CallbackManager;
import dev.callbacks.CallbackObserver;
import dev.callbacks.usage.ModelPrices;
import dev.callbacks.ai.CallbackAdvisors;
import dev.callbacks.ai.CallbackObservations;
import dev.callbacks.budget.BudgetEnforcer;
import dev.callbacks.ai.RetrievalArguments;
import dev.callbacks.handlers.FileCallbackHandler;
import dev.callbacks.handlers.StdOutCallbackHandler;
import io.micrometer.observation.ObservationPredicate;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.ai.chat.client.AdvisorParams;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientBuilderCustomizer;
import org.springframework.ai.chat.client.advisor.ToolCallingAdvisor;
import org.springframework.ai.chat.client.advisor.observation.AdvisorObservationConvention;
import org.springframework.ai.chat.client.observation.ChatClientObservationConvention;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.model.chat.client.autoconfigure.ChatClientBuilderConfigurer;
import org.springframework.ai.model.chat.client.autoconfigure.ChatClientBuilderProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.ai.rag.Query;
import org.springframework.ai.rag.retrieval.search.DocumentRetriever;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.ai.chat.client.ChatClientCustomizer;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Callbacks for every {@code ChatClient} of the application: a {@link CallbackManager}
 * holding every {@link BaseCallbackHandler} bean, applied once to each client — those
 * built from the auto-configured {@code ChatClient.Builder} (through a
 * {@link ChatClientBuilderCustomizer}) and {@code ChatClient} beans built any other way
 * (through a bean post-processor).
 * <p>
 * Ordered before Spring AI's {@code ChatClientAutoConfiguration}: its
 * {@code ChatClient.Builder} bean, which traces the model inside the clients it builds,
 * stands in for Spring AI's, which backs off for it.
 */
@AutoConfiguration(beforeName = "org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration")
@ConditionalOnClass(ChatClient.class)
@ConditionalOnBooleanProperty(name = "callbacks.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CallbacksProperties.class)
public final class CallbacksAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(CallbacksAutoConfiguration.class);

	/**
	 * The name of the scheduler bean of {@code callbacks.async.sync-handlers=scheduler}.
	 */
	public static final String SYNC_HANDLER_SCHEDULER = "callbacksSyncHandlerScheduler";

	@Bean
	@ConditionalOnMissingBean
	ModelPrices callbackModelPrices(CallbacksProperties properties) {
		return PricingPropertiesMapper.modelPrices(properties.getPricing());
	}

	@Bean
	@ConditionalOnMissingBean
	CallbackManager callbackManager(CallbacksProperties properties, ObjectProvider<BaseCallbackHandler> handlers,
			ObjectProvider<CallbackObserver> observers, ModelPrices prices,
			@Qualifier(SYNC_HANDLER_SCHEDULER) ObjectProvider<Scheduler> syncHandlerScheduler,
			ObjectProvider<BudgetEnforcer> budgetEnforcer) {
		Duration timeout = properties.getAsync().getTimeout();
		if (timeout == null || timeout.isNegative() || timeout.isZero()) {
			throw new InvalidConfigurationPropertyValueException("callbacks.async.timeout", timeout,
					"must be a positive duration");
		}
		return CallbackManager.builder()
			.handlers(handlers.orderedStream().toList())
			.observers(observers.orderedStream().toList())
			.prices(prices)
			.asyncTimeout(timeout)
			.syncHandlerScheduler(syncHandlerScheduler.getIfAvailable())
			.budgetEnforcer(budgetEnforcer.getIfAvailable())
			.build();
	}

	// A bean of its own so that the context disposes of its threads when it closes.
	@Bean(name = SYNC_HANDLER_SCHEDULER, destroyMethod = "dispose")
	@ConditionalOnProperty(name = "callbacks.async.sync-handlers", havingValue = "scheduler")
	Scheduler callbacksSyncHandlerScheduler(CallbacksProperties properties) {
		CallbacksProperties.Async async = properties.getAsync();
		if (async.getSchedulerThreads() < 1) {
			throw new InvalidConfigurationPropertyValueException("callbacks.async.scheduler-threads",
					async.getSchedulerThreads(), "must be at least 1");
		}
		if (async.getSchedulerQueueSize() < 1) {
			throw new InvalidConfigurationPropertyValueException("callbacks.async.scheduler-queue-size",
					async.getSchedulerQueueSize(), "must be at least 1");
		}
		return Schedulers.newBoundedElastic(async.getSchedulerThreads(), async.getSchedulerQueueSize(),
				"callbacks-sync-handlers");
	}

	@Bean
	static ChatModelTracingPostProcessor callbacksChatModelTracingPostProcessor() {
		return new ChatModelTracingPostProcessor();
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "callbacks.embedding.enabled", matchIfMissing = true)
	static EmbeddingModelTracingPostProcessor callbacksEmbeddingModelTracingPostProcessor(
			ObjectProvider<CallbackManager> callbackManager) {
		return new EmbeddingModelTracingPostProcessor(callbackManager);
	}

	@Bean
	ChatClientBuilderCustomizer callbacksChatClientBuilderCustomizer(CallbackManager callbackManager,
			ChatModelTracingPostProcessor models) {
		// The chain advisor is all a client needs when its model observes its own rounds:
		// always in the auto-configured builder; in another builder (one the application
		// configures itself) when every ChatModel bean, made before it, does.
		Consumer<ChatClient.AdvisorSpec> tracedModel = CallbackAdvisors.forTracedModel(callbackManager);
		Consumer<ChatClient.AdvisorSpec> anyModel = CallbackAdvisors.of(callbackManager);
		return builder -> builder
			.defaultAdvisors((builder instanceof TracedModelChatClientBuilder || models.tracesEveryModel())
					? tracedModel : anyModel);
	}

	@Bean
	static CallbacksChatClientPostProcessor callbacksChatClientPostProcessor(
			ObjectProvider<CallbackManager> callbackManager) {
		return new CallbacksChatClientPostProcessor(callbackManager);
	}

	@Bean
	@ConditionalOnBooleanProperty("callbacks.verbose")
	StdOutCallbackHandler stdOutCallbackHandler(CallbacksProperties properties) {
		warnIfContent(properties, "callbacks.verbose");
		return new StdOutCallbackHandler(properties.isIncludeContent());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnProperty("callbacks.file.path")
	FileCallbackHandler fileCallbackHandler(CallbacksProperties properties) {
		CallbacksProperties.File file = properties.getFile();
		// Set: the condition on the property says so.
		Path path = java.util.Objects.requireNonNull(file.getPath());
		if (file.getMaxSize() == null || file.getMaxSize().toBytes() <= 0) {
			throw new InvalidConfigurationPropertyValueException("callbacks.file.max-size", file.getMaxSize(),
					"must be a positive size");
		}
		if (file.getMaxHistory() < 0) {
			throw new InvalidConfigurationPropertyValueException("callbacks.file.max-history", file.getMaxHistory(),
					"must not be negative");
		}
		warnIfContent(properties, "callbacks.file.path");
		try {
			return new FileCallbackHandler(path, properties.isIncludeContent(), file.getMaxSize().toBytes(),
					file.getMaxHistory());
		}
		catch (UncheckedIOException ex) {
			throw new InvalidConfigurationPropertyValueException("callbacks.file.path", path,
					"the file cannot be opened for appending, or made readable by its owner only (" + ex.getCause()
							+ ")");
		}
	}

	/**
	 * Spring AI's {@code ChatClient.Builder} bean, made the same way, except that its
	 * model is traced inside the clients it builds: a {@code final} model class (Spring
	 * AI 2.0.1's OpenAI and Anthropic models), which no class-based proxy can trace, then
	 * needs no second advisor for its rounds either. Spring AI's backs off for it; an
	 * application that excludes Spring AI's {@code ChatClientAutoConfiguration} or
	 * disables it ({@code spring.ai.chat.client.enabled=false}) gets none from here
	 * either.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ChatClientBuilderConfigurer.class)
	@ConditionalOnBooleanProperty(name = ChatClientBuilderProperties.CONFIG_PREFIX + ".enabled", matchIfMissing = true)
	@Conditional(SpringAiChatClientAutoConfigurationNotExcluded.class)
	static class ChatClientBuilderConfiguration {

		// ChatClientCustomizer is deprecated for removal; applied as long as Spring AI
		// applies it.
		@Bean
		@Scope("prototype")
		@ConditionalOnMissingBean
		@SuppressWarnings("removal")
		ChatClient.Builder chatClientBuilder(ObjectProvider<ChatClientBuilderProperties> properties,
				ObjectProvider<ChatClientBuilderConfigurer> chatClientBuilderConfigurer,
				ObjectProvider<ChatClientCustomizer> customizers,
				ObjectProvider<ChatClientBuilderCustomizer> builderCustomizers, ChatModel chatModel,
				ObjectProvider<ObservationRegistry> observationRegistry,
				ObjectProvider<ChatClientObservationConvention> chatClientObservationConvention,
				ObjectProvider<AdvisorObservationConvention> advisorObservationConvention,
				ObjectProvider<ToolCallingAdvisor.Builder<?>> toolCallingAdvisorBuilder) {
			ChatClient.Builder builder = new TracedModelChatClientBuilder(chatModel,
					observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP),
					chatClientObservationConvention.getIfUnique(), advisorObservationConvention.getIfUnique(),
					toolCallingAdvisorBuilder.getIfAvailable());
			if (!properties.getIfAvailable(ChatClientBuilderProperties::new).getToolCalling().isEnabled()) {
				builder.defaultAdvisors(AdvisorParams.toolCallingAdvisorAutoRegister(false));
			}
			ChatClientBuilderConfigurer configurer = chatClientBuilderConfigurer.getIfAvailable();
			if (configurer != null) {
				return configurer.configure(builder);
			}
			// What Spring AI's configurer does, where its auto-configuration has not run
			// (a context of this auto-configuration alone).
			customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
			builderCustomizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
			return builder;
		}

	}

	/**
	 * Whether Spring AI's {@code ChatClientAutoConfiguration} was left in: the builder
	 * bean stands in for its own.
	 */
	static final class SpringAiChatClientAutoConfigurationNotExcluded extends SpringBootCondition {

		private static final String NAME = "org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration";

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
			if (beanFactory != null && ConditionEvaluationReport.get(beanFactory).getExclusions().contains(NAME)) {
				return ConditionOutcome.noMatch("Spring AI's ChatClientAutoConfiguration is excluded");
			}
			return ConditionOutcome.match("Spring AI's ChatClientAutoConfiguration is not excluded");
		}

	}

	// Spring Boot's ObservationRegistry applies every ObservationPredicate bean.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.observation.ObservationPredicate")
	static class ObservationConfiguration {

		@Bean
		ObservationPredicate callbackAdvisorsObservationPredicate() {
			return CallbackObservations.skipCallbackAdvisors();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.ai.rag.retrieval.search.DocumentRetriever")
	static class DocumentRetrieverTracingConfiguration {

		@Bean
		static RetrievalTracingPostProcessor documentRetrieverTracingPostProcessor() {
			return new RetrievalTracingPostProcessor(DocumentRetriever.class, "retrieve", Query.class,
					RetrievalArguments.query());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.ai.vectorstore.VectorStore")
	static class VectorStoreTracingConfiguration {

		@Bean
		static RetrievalTracingPostProcessor vectorStoreTracingPostProcessor() {
			return new RetrievalTracingPostProcessor(VectorStore.class, "similaritySearch", SearchRequest.class,
					RetrievalArguments.searchRequest());
		}

	}

	private static void warnIfContent(CallbacksProperties properties, String handler) {
		if (properties.isIncludeContent()) {
			logger.warn("callbacks.include-content=true: the handler of {} writes prompt and completion text, "
					+ "which may contain personal or confidential data", handler);
		}
	}

}
