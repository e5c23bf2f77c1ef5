package dev.callbacks.ledger.actuate;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * {@code /actuator/llmusage} over HTTP: what {@link LlmUsageEndpoint} answers, and for
 * input it cannot read a 400 whose body says what is wrong (Spring Boot's error response
 * leaves the message out unless {@code server.error.include-message} is set).
 */
@EndpointWebExtension(endpoint = LlmUsageEndpoint.class)
public class LlmUsageEndpointWebExtension {

	private final LlmUsageEndpoint delegate;

	public LlmUsageEndpointWebExtension(LlmUsageEndpoint delegate) {
		this.delegate = delegate;
	}

	@ReadOperation
	public WebEndpointResponse<Object> usage(@Nullable String groupBy, @Nullable String from, @Nullable String to,
			@Nullable String user, @Nullable String tenant, @Nullable String conversation, @Nullable String model,
			@Nullable String provider, @Nullable String client) {
		try {
			return new WebEndpointResponse<>(
					this.delegate.usage(groupBy, from, to, user, tenant, conversation, model, provider, client));
		}
		catch (InvalidEndpointRequestException ex) {
			return new WebEndpointResponse<>(new BadRequest(WebEndpointResponse.STATUS_BAD_REQUEST, "Bad Request",
					String.valueOf(ex.getMessage())), WebEndpointResponse.STATUS_BAD_REQUEST);
		}
	}

	/**
	 * Why a request was refused.
	 *
	 * @param status 400
	 * @param error {@code Bad Request}
	 * @param message what is wrong with the input
	 */
	public record BadRequest(int status, String error, String message) {

	}

}
