package dev.callbacks.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

import dev.callbacks.BaseCallbackHandler;
import dev.callbacks.CallbackManager;
import dev.callbacks.ai.CallbackAdvisors;
import dev.callbacks.ai.CallbackObservations;
import dev.callbacks.ai.ModelRoundInterceptor;
import dev.callbacks.metrics.MicrometerCallbackObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.observation.ChatModelMeterObservationHandler;
import org.springframework.core.Ordered;

/**
 * The {@code ChatClient} configurations compared, each built the way an application gets
 * it.
 * <ul>
 * <li>{@code bare}: {@code ChatClient.builder(model).build()}, NOOP observation registry,
 * no advisors of ours (the starter registers its context-propagation
 * {@code ThreadLocalAccessor}s only once a run or tracker needs them, so none is
 * registered here, as in an application without the starter).</li>
 * <li>{@code bare_2_noop_advisors}: bare plus two advisors that do nothing, at the
 * starter's advisor orders: the floor that Spring AI's advisor chain sets for any design
 * with two advisors.</li>
 * <li>{@code bare_2_noop_advisors_3ctx}: the same plus three advisor-context entries, as
 * many as the starter used to add (manager, chain run, LLM run): what Spring AI's
 * per-chunk context copies charge for them.</li>
 * <li>{@code bare_1_noop_advisor}: bare plus one advisor that does nothing: the floor of
 * any design with one advisor.</li>
 * <li>{@code bare_traced_model}: bare with the starter's traced model and no advisor: the
 * floor of a design that would keep the chain run out of the advisor chain (a
 * {@code ChatClient} decorator), measured as an alternative; nothing listens.</li>
 * <li>{@code starter_inert}: the starter as the auto-configuration sets up a client of a
 * {@code ChatModel} bean (the model traced, the chain advisor in the client) with nothing
 * listening: no handler, no tracker, no meters.</li>
 * <li>{@code starter_0h} / {@code _1h} / {@code _3h}: the same with 0, 1 or 3 global sync
 * handlers, the {@code llm.*} meters ({@link MicrometerCallbackObserver}) and a
 * {@code UsageTracker} opened around each request.</li>
 * <li>{@code starter_3h_advisor}: {@code starter_3h} with the rounds seen by the LLM
 * advisor instead of the traced model: what clients of a final model class (Spring AI
 * 2.0.1's OpenAI and Anthropic models) and hand-built clients get.</li>
 * <li>{@code starter_3h_final_model}: {@code starter_3h} with the model traced through a
 * proxy of its interfaces, as the auto-configured builder hands a model of a final class
 * (Spring AI 2.0.1's OpenAI and Anthropic models) to its clients.</li>
 * <li>{@code spring_ai_obs}: no starter; Spring AI's own observation switched on, as with
 * Actuator: an {@link ObservationRegistry} with {@link DefaultMeterObservationHandler}
 * (timers of every observation) and {@link ChatModelMeterObservationHandler}
 * ({@code gen_ai.client.token.usage}), the model observing itself as Spring AI's provider
 * models do.</li>
 * <li>{@code spring_ai_obs_3h}: both, as in a Boot application with Actuator and the
 * starter.</li>
 * </ul>
 */
enum Config {

	BARE(false, 0, false, false, false), BARE_1_NOOP_ADVISOR(false, 0, false, false, false),
	BARE_2_NOOP_ADVISORS(false, 0, false, false, false), BARE_2_NOOP_ADVISORS_3CTX(false, 0, false, false, false),
	BARE_TRACED_MODEL(false, 0, false, false, false), STARTER_INERT(true, 0, false, false, false),
	STARTER_0H(true, 0, true, true, false), STARTER_1H(true, 1, true, true, false),
	STARTER_3H(true, 3, true, true, false), STARTER_3H_ADVISOR(true, 3, true, true, false),
	STARTER_3H_FINAL_MODEL(true, 3, true, true, false), SPRING_AI_OBS(false, 0, false, false, true),
	SPRING_AI_OBS_3H(true, 3, true, true, true);

	final boolean starter;

	final int handlers;

	final boolean tracker;

	final boolean meters;

	final boolean springAiObservation;

	Config(boolean starter, int handlers, boolean tracker, boolean meters, boolean springAiObservation) {
		this.starter = starter;
		this.handlers = handlers;
		this.tracker = tracker;
		this.meters = meters;
		this.springAiObservation = springAiObservation;
	}

	static Config of(String name) {
		return valueOf(name.toUpperCase(Locale.ROOT));
	}

	/** A client, its model and what it records into; fresh registries for each. */
	Setup build(int streamTokens) {
		return new Setup(this, streamTokens);
	}

	static final class Setup {

		final Config config;

		final MeterRegistry meterRegistry = new SimpleMeterRegistry();

		final ObservationRegistry observationRegistry;

		final ZeroLatencyChatModel model;

		final ChatClient client;

		final Handlers.TokenCounter tokenCounter = new Handlers.TokenCounter();

		final Handlers.UsageSummer usageSummer = new Handlers.UsageSummer();

		final Handlers.EventCounter eventCounter = new Handlers.EventCounter();

		Setup(Config config, int streamTokens) {
			this(config, streamTokens, null);
		}

		Setup(Config config, int streamTokens, UnaryOperator<ChatModel> decorator) {
			this.config = config;
			if (config.springAiObservation) {
				this.observationRegistry = ObservationRegistry.create();
				this.observationRegistry.observationConfig()
					.observationHandler(new DefaultMeterObservationHandler(this.meterRegistry))
					.observationHandler(new ChatModelMeterObservationHandler(this.meterRegistry));
				if (config.starter) {
					// What the auto-configuration registers with Boot's registry.
					this.observationRegistry.observationConfig()
						.observationPredicate(CallbackObservations.skipCallbackAdvisors());
				}
			}
			else {
				this.observationRegistry = ObservationRegistry.NOOP;
			}
			this.model = new ZeroLatencyChatModel(streamTokens, this.observationRegistry);
			ChatModel chatModel = (decorator != null) ? decorator.apply(this.model) : this.model;
			boolean tracedModel = config.starter && config != STARTER_3H_ADVISOR;
			if (config == STARTER_3H_FINAL_MODEL) {
				// What the auto-configured builder gives its clients when the model's
				// class is final: a proxy of its interfaces.
				chatModel = ModelRoundInterceptor.forClient(chatModel);
			}
			else if (tracedModel || config == BARE_TRACED_MODEL) {
				// What the auto-configuration does to ChatModel beans of non-final
				// classes (bare_traced_model: that proxy and no advisor, the floor of a
				// design that would see the chain run from outside the advisor chain).
				chatModel = ModelRoundInterceptor.traced(chatModel);
			}
			ChatClient.Builder builder = ChatClient.builder(chatModel, this.observationRegistry, null, null);
			if (config.starter) {
				List<BaseCallbackHandler> handlers = new ArrayList<>();
				if (config.handlers >= 1) {
					handlers.add(this.tokenCounter);
				}
				if (config.handlers >= 2) {
					handlers.add(this.usageSummer);
				}
				if (config.handlers >= 3) {
					handlers.add(this.eventCounter);
				}
				CallbackManager.Builder manager = CallbackManager.builder().handlers(handlers);
				if (config.meters) {
					manager.observers(List.of(new MicrometerCallbackObserver(this.meterRegistry)));
				}
				CallbackManager callbackManager = manager.build();
				// What CallbacksAutoConfiguration's ChatClientBuilderCustomizer adds to
				// every builder.
				builder.defaultAdvisors(tracedModel ? CallbackAdvisors.forTracedModel(callbackManager)
						: CallbackAdvisors.of(callbackManager));
			}
			if (config == BARE_1_NOOP_ADVISOR) {
				builder.defaultAdvisors(new PassThroughAdvisor("first", Ordered.HIGHEST_PRECEDENCE));
			}
			if (config == BARE_2_NOOP_ADVISORS || config == BARE_2_NOOP_ADVISORS_3CTX) {
				builder.defaultAdvisors(new PassThroughAdvisor("first", Ordered.HIGHEST_PRECEDENCE),
						new PassThroughAdvisor("last", Ordered.LOWEST_PRECEDENCE - 1));
			}
			if (config == BARE_2_NOOP_ADVISORS_3CTX) {
				builder.defaultAdvisors(spec -> spec.param("bench.context.1", new Object())
					.param("bench.context.2", new Object())
					.param("bench.context.3", new Object()));
			}
			this.client = builder.build();
		}

	}

}
