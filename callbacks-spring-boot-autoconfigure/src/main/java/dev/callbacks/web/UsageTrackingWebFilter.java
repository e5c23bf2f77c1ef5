package dev.callbacks.web;

import dev.callbacks.UsageTracker;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Gives every WebFlux request its own {@link UsageTracker}: in the exchange attributes
 * (for controller arguments) and in the Reactor context of the request's pipeline, where
 * the callback advisors find it. Optionally writes the {@code LLM-Usage} header just
 * before the response commits, and records the request's total when it ends.
 * <p>
 * {@code stream()} finds the tracker in the Reactor context; a blocking {@code call()}
 * made on another scheduler finds it on its thread only with Reactor's automatic context
 * propagation ({@code spring.reactor.context-propagation=auto}).
 */
public final class UsageTrackingWebFilter implements WebFilter, Ordered {

	// Early, so that the tracker is in the context of everything the request does; after
	// observation filters.
	private static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

	private final boolean header;

	private final RequestUsage.@Nullable Recorder recorder;

	public UsageTrackingWebFilter(boolean header, RequestUsage.@Nullable Recorder recorder) {
		this.header = header;
		this.recorder = recorder;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		UsageTracker tracker = UsageTracker.detached(null);
		exchange.getAttributes().put(RequestUsage.ATTRIBUTE, tracker);
		if (this.header) {
			exchange.getResponse().beforeCommit(() -> Mono.fromRunnable(() -> {
				if (RequestUsage.used(tracker)) {
					exchange.getResponse().getHeaders().set(RequestUsage.HEADER, RequestUsage.headerValue(tracker));
				}
			}));
		}
		return chain.filter(exchange)
			.contextWrite(context -> context.put(UsageTracker.CONTEXT_KEY, tracker))
			.doFinally(signal -> {
				tracker.close();
				if (this.recorder != null && RequestUsage.used(tracker)) {
					this.recorder.record(uriTemplate(exchange), tracker);
				}
			});
	}

	private static String uriTemplate(ServerWebExchange exchange) {
		Object pattern = exchange.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
		return (pattern instanceof PathPattern pathPattern) ? pathPattern.getPatternString() : RequestUsage.UNKNOWN_URI;
	}

}
