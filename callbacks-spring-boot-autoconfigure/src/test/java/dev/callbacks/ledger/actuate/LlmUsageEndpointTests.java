package dev.callbacks.ledger.actuate;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import dev.callbacks.ledger.UsageDimension;
import dev.callbacks.ledger.UsageLedger;
import dev.callbacks.ledger.UsageQuery;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** What the endpoint asks the ledger, and how it refuses bad input. */
class LlmUsageEndpointTests {

	private static final Instant NOW = Instant.parse("2025-06-09T12:00:00Z");

	private final List<UsageQuery> queries = new ArrayList<>();

	private final UsageLedger ledger = (query) -> {
		this.queries.add(query);
		return List.of();
	};

	private final LlmUsageEndpoint endpoint = new LlmUsageEndpoint(this.ledger, Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void groupsFiltersAndLimitsToTheRange() {
		LlmUsageEndpoint.LlmUsageDescriptor answer = this.endpoint.usage("tenant, user", "2025-06-02T00:00:00Z",
				"2025-06-09T00:00:00Z", "42", "acme", "7", null, null, null);

		UsageQuery query = this.queries.get(0);
		assertThat(query.groupBy()).containsExactly(UsageDimension.TENANT, UsageDimension.USER);
		assertThat(query.from()).isEqualTo(Instant.parse("2025-06-02T00:00:00Z"));
		assertThat(query.to()).isEqualTo(Instant.parse("2025-06-09T00:00:00Z"));
		assertThat(query.filters()).containsEntry(UsageDimension.USER, "42")
			.containsEntry(UsageDimension.TENANT, "acme")
			.containsEntry(UsageDimension.CONVERSATION, "7")
			.hasSize(3);
		assertThat(answer.groupBy()).containsExactly("tenant", "user");
		assertThat(answer.filters()).containsEntry("tenant", "acme");
	}

	@Test
	void withoutARangeEverythingUntilNow() {
		LlmUsageEndpoint.LlmUsageDescriptor answer = this.endpoint.usage(null, null, null, null, null, null, null, null,
				null);

		assertThat(this.queries.get(0).from()).isEqualTo(Instant.EPOCH);
		assertThat(this.queries.get(0).to()).isEqualTo(NOW);
		assertThat(this.queries.get(0).groupBy()).isEmpty();
		assertThat(answer.to()).isEqualTo("2025-06-09T12:00:00Z");
	}

	@Test
	void refusesWhatItCannotRead() {
		assertRefused("'from' must be an ISO-8601 instant", "tenant", "last week", null);
		assertRefused("'to' must be an ISO-8601 instant", "tenant", null, "2025-06-09");
		assertRefused("'groupBy' must list dimensions among user, tenant, conversation, model, provider, client, day",
				"customer", null, null);
		assertRefused("'groupBy' names 'user' twice", "user,user", null, null);
		assertRefused("must be before 'to'", null, "2025-06-09T00:00:00Z", "2025-06-02T00:00:00Z");
		assertThat(this.queries).isEmpty();
	}

	private void assertRefused(String message, String groupBy, String from, String to) {
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.usage(groupBy, from, to, null, null, null, null, null, null))
			.withMessageContaining(message);
	}

}
