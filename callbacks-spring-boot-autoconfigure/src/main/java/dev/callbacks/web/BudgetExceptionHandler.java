package dev.callbacks.web;

import java.util.Locale;

import dev.callbacks.budget.BudgetExceededException;
import dev.callbacks.budget.BudgetException;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Renders budget errors as RFC 9457 problem details, in Spring MVC and WebFlux alike: a
 * {@link BudgetExceededException} as 429 Too Many Requests with {@code Retry-After}
 * (seconds until the budget resets), a store failure under fail-closed as 503. Also when
 * the error arrives wrapped in another exception.
 * <p>
 * Lowest precedence, and registered after the application's own advice: an
 * {@code @ExceptionHandler} of the application for these exceptions (or their supertypes)
 * wins.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class BudgetExceptionHandler {

	@ExceptionHandler(BudgetException.class)
	ResponseEntity<ProblemDetail> handleBudgetException(Exception exception) throws Exception {
		// Declared as Exception: the method is chosen for a budget error anywhere in the
		// cause chain, and WebFlux passes only the outermost exception and its direct
		// cause as arguments.
		BudgetException budget = find(exception);
		if (budget == null) {
			throw exception;
		}
		return toResponse(budget);
	}

	/** The response for a budget error. */
	public static ResponseEntity<ProblemDetail> toResponse(BudgetException budget) {
		if (budget instanceof BudgetExceededException exceeded) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, exceeded.detail());
			problem.setProperty("budget", exceeded.budget());
			problem.setProperty("scope", exceeded.scope().name().toLowerCase(Locale.ROOT));
			if (exceeded.limitTokens() != null) {
				problem.setProperty("limitTokens", exceeded.limitTokens());
			}
			if (exceeded.limitUsd() != null) {
				problem.setProperty("limitUsd", exceeded.limitUsd());
			}
			problem.setProperty("spentTokens", exceeded.spentTokens());
			problem.setProperty("spentUsd", exceeded.spentUsd().stripTrailingZeros());
			problem.setProperty("requestedTokens", exceeded.requestedTokens());
			if (exceeded.resetsAt() != null) {
				problem.setProperty("resetsAt", exceeded.resetsAt().toString());
			}
			ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS);
			Long retryAfter = exceeded.retryAfterSeconds();
			if (retryAfter != null) {
				response.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
			}
			return response.body(problem);
		}
		// The cause (a Redis host, a timeout) is for the logs, not for the client.
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"Budgets cannot be checked right now, so no model call was made. Try again later.");
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(problem);
	}

	private static @Nullable BudgetException find(Throwable exception) {
		Throwable current = exception;
		for (int depth = 0; current != null && depth < 16; depth++) {
			if (current instanceof BudgetException budget) {
				return budget;
			}
			current = current.getCause();
		}
		return null;
	}

}
