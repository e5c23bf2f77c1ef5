package dev.callbacks.web;

import dev.callbacks.UsageTracker;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Writes the {@code LLM-Usage} header on Spring MVC responses just before their body,
 * when the handler has made its LLM calls and the response is still open.
 */
@ControllerAdvice
public final class UsageHeaderResponseBodyAdvice implements ResponseBodyAdvice<Object> {

	@Override
	public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
		return true;
	}

	@Override
	public @Nullable Object beforeBodyWrite(@Nullable Object body, MethodParameter returnType,
			MediaType selectedContentType, Class<? extends HttpMessageConverter<?>> selectedConverterType,
			ServerHttpRequest request, ServerHttpResponse response) {
		if (request instanceof ServletServerHttpRequest servletRequest
				&& servletRequest.getServletRequest()
					.getAttribute(RequestUsage.ATTRIBUTE) instanceof UsageTracker tracker
				&& RequestUsage.used(tracker)) {
			response.getHeaders().set(RequestUsage.HEADER, RequestUsage.headerValue(tracker));
		}
		return body;
	}

}
