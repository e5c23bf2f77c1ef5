package dev.callbacks.web;

import dev.callbacks.UsageTracker;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Resolves a Spring MVC controller method's {@link UsageTracker} parameter to the
 * request's tracker.
 */
public final class ServletUsageTrackerArgumentResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return UsageTracker.class.equals(parameter.getParameterType());
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, @Nullable ModelAndViewContainer mavContainer,
			NativeWebRequest webRequest, @Nullable WebDataBinderFactory binderFactory) {
		Object tracker = webRequest.getAttribute(RequestUsage.ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
		if (tracker == null) {
			throw new IllegalStateException(
					"No usage tracker for this request: is callbacks.usage.per-request disabled?");
		}
		return tracker;
	}

}
