package dev.callbacks.ai;

import io.micrometer.observation.ObservationPredicate;

import org.springframework.ai.chat.client.advisor.observation.AdvisorObservationContext;

/**
 * Keeps Spring AI from observing the starter's own advisors: without it, an application
 * with a real {@code ObservationRegistry} (any with Actuator) gets an observation, and
 * with tracing a span, per callback advisor in every chat — the starter's bookkeeping
 * showing up in the user's traces. The auto-configuration registers it; without Spring
 * Boot add it to the registry's {@code observationConfig()}.
 */
public final class CallbackObservations {

	private CallbackObservations() {
	}

	/** Observes everything but the callback advisors. */
	public static ObservationPredicate skipCallbackAdvisors() {
		return (name, context) -> !(context instanceof AdvisorObservationContext advisor
				&& isCallbackAdvisor(advisor.getAdvisorName()));
	}

	private static boolean isCallbackAdvisor(String advisorName) {
		return advisorName.equals(ChainRunAdvisor.NAME) || advisorName.equals(LlmRunAdvisor.NAME);
	}

}
