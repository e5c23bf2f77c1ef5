package dev.callbacks.web;

import java.io.IOException;

import dev.callbacks.UsageTracker;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Gives every Spring MVC request its own {@link UsageTracker}, current on the request
 * thread while the request is handled, and records the request's total when it ends. (The
 * {@code LLM-Usage} header is written by {@link UsageHeaderResponseBodyAdvice}, just
 * before the body, while the response is still open.)
 */
public final class UsageTrackingServletFilter extends OncePerRequestFilter implements Ordered {

	private static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

	private final RequestUsage.@Nullable Recorder recorder;

	public UsageTrackingServletFilter(RequestUsage.@Nullable Recorder recorder) {
		this.recorder = recorder;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		UsageTracker tracker = UsageTracker.start();
		request.setAttribute(RequestUsage.ATTRIBUTE, tracker);
		try {
			chain.doFilter(request, response);
		}
		finally {
			tracker.close();
			if (this.recorder != null && RequestUsage.used(tracker)) {
				Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
				this.recorder.record((pattern != null) ? pattern.toString() : RequestUsage.UNKNOWN_URI, tracker);
			}
		}
	}

}
