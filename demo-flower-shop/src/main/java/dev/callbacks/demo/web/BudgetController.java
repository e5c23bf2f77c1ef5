package dev.callbacks.demo.web;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Locale;

import dev.callbacks.budget.Budget;
import dev.callbacks.budget.BudgetEnforcer;
import dev.callbacks.budget.Scope;
import dev.callbacks.budget.Window;
import dev.callbacks.ledger.UsageDimension;
import dev.callbacks.ledger.UsageLedger;
import dev.callbacks.ledger.UsageQuery;
import dev.callbacks.ledger.UsageTotals;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * A customer's budget for the page: the first configured budget per conversation with a
 * token limit ({@code callbacks.budgets.customer-daily} in
 * {@code application.properties}), and what the customer spent in its current period,
 * read from the usage ledger.
 * <p>
 * The ledger holds what the provider reported for each model call, which is what the
 * budget counts once a call has ended; calls still running (their reservations) are not
 * in it yet, and rows are written a moment after each call.
 */
@RestController
@RequestMapping("/api")
public class BudgetController {

	private final @Nullable Budget budget;

	private final ObjectProvider<UsageLedger> ledger;

	private final Clock clock;

	public BudgetController(BudgetEnforcer enforcer, ObjectProvider<UsageLedger> ledger, ObjectProvider<Clock> clock) {
		this.budget = customerBudget(enforcer.budgets());
		this.ledger = ledger;
		// The budget's periods roll over by the application's clock when it has one.
		this.clock = clock.getIfAvailable(Clock::systemUTC);
	}

	/** The budget of customer {@code conversationId}; 404 when none is configured. */
	@GetMapping("/budget")
	public Mono<CustomerBudget> budget(@RequestParam String conversationId) {
		Budget budget = this.budget;
		UsageLedger ledger = this.ledger.getIfAvailable();
		if (budget == null || ledger == null) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND,
					"No per-customer token budget (or no usage ledger) is configured");
		}
		if (!StringUtils.hasText(conversationId)) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "conversationId must not be empty");
		}
		String customer = conversationId.trim();
		Instant now = this.clock.instant();
		Instant start = periodStart(budget, now);
		Instant end = periodEnd(budget, start);
		// The ledger is JDBC: not on the event loop.
		return Mono.fromCallable(() -> spentTokens(ledger, customer, start, now))
			.subscribeOn(Schedulers.boundedElastic())
			.map((spent) -> {
				long limit = (budget.limitTokens() != null) ? budget.limitTokens() : 0;
				return new CustomerBudget(budget.id(), customer, budget.period().name().toLowerCase(Locale.ROOT), limit,
						spent, Math.max(0, limit - spent), start, end);
			});
	}

	private static long spentTokens(UsageLedger ledger, String customer, Instant from, Instant now) {
		// Up to the next millisecond: the query's end is exclusive.
		List<UsageTotals> totals = ledger
			.totals(UsageQuery.between(from, now.plusMillis(1)).where(UsageDimension.CONVERSATION, customer));
		return totals.isEmpty() ? 0 : totals.get(0).totalTokens();
	}

	private static @Nullable Budget customerBudget(List<Budget> budgets) {
		return budgets.stream()
			.filter((budget) -> budget.scope() == Scope.CONVERSATION && budget.limitTokens() != null)
			.findFirst()
			.orElse(null);
	}

	// The same calendar periods as the budget's (in its zone); a rolling window is the
	// last period before now.
	static Instant periodStart(Budget budget, Instant now) {
		if (budget.window() == Window.ROLLING) {
			return now.minus(budget.period().length());
		}
		ZonedDateTime local = now.atZone(budget.zone());
		return switch (budget.period()) {
			case MINUTE -> local.truncatedTo(ChronoUnit.MINUTES).toInstant();
			case HOUR -> local.truncatedTo(ChronoUnit.HOURS).toInstant();
			case DAY -> local.toLocalDate().atStartOfDay(budget.zone()).toInstant();
			case WEEK -> local.toLocalDate()
				.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
				.atStartOfDay(budget.zone())
				.toInstant();
			case MONTH -> local.toLocalDate().withDayOfMonth(1).atStartOfDay(budget.zone()).toInstant();
			case REQUEST -> throw new IllegalStateException("A request budget has no period");
		};
	}

	static Instant periodEnd(Budget budget, Instant start) {
		if (budget.window() == Window.ROLLING) {
			// One period from now, everything spent so far has dropped out of the window.
			return start.plus(budget.period().length()).plus(budget.period().length());
		}
		ZonedDateTime local = start.atZone(budget.zone());
		LocalDate day = local.toLocalDate();
		return switch (budget.period()) {
			case MINUTE -> local.plusMinutes(1).toInstant();
			case HOUR -> local.plusHours(1).toInstant();
			case DAY -> day.plusDays(1).atStartOfDay(budget.zone()).toInstant();
			case WEEK -> day.plusWeeks(1).atStartOfDay(budget.zone()).toInstant();
			case MONTH -> day.plusMonths(1).atStartOfDay(budget.zone()).toInstant();
			case REQUEST -> throw new IllegalStateException("A request budget has no period");
		};
	}

}
