package dev.callbacks.web;

import dev.callbacks.UsageTracker;
import reactor.core.publisher.Mono;

import org.springframework.core.MethodParameter;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;

/**
 * Resolves a WebFlux controller method's {@link UsageTracker} parameter to the request's
 * tracker.
 */
public final class UsageTrackerArgumentResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return UsageTracker.class.equals(parameter.getParameterType());
	}

	@Override
	public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext bindingContext,
			ServerWebExchange exchange) {
		Object tracker = exchange.getAttribute(RequestUsage.ATTRIBUTE);
		if (tracker == null) {
			return Mono.error(new IllegalStateException(
					"No usage tracker for this request: is " + "callbacks.usage.per-request disabled?"));
		}
		return Mono.just(tracker);
	}

}
