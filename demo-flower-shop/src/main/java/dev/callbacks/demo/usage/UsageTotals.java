package dev.callbacks.demo.usage;

import java.math.BigDecimal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;

import org.springframework.stereotype.Component;

/**
 * Everything the shop has used since it started, read from the starter's {@code llm.*}
 * meters: the same numbers {@code /actuator/metrics} shows, summed over models and
 * clients.
 */
@Component
public class UsageTotals {

	private final MeterRegistry registry;

	public UsageTotals(MeterRegistry registry) {
		this.registry = registry;
	}

	/** The totals now. */
	public TokenCounts snapshot() {
		long prompt = (long) sum(this.registry.find("llm.tokens").tag("type", "input"));
		long completion = (long) sum(this.registry.find("llm.tokens").tag("type", "output"));
		long calls = (long) sum(this.registry.find("llm.requests"));
		BigDecimal cost = TokenCounts.scaled(BigDecimal.valueOf(sum(this.registry.find("llm.cost"))));
		return new TokenCounts(prompt, completion, prompt + completion, calls, cost);
	}

	private static double sum(Search search) {
		return search.counters().stream().mapToDouble(Counter::count).sum();
	}

}
