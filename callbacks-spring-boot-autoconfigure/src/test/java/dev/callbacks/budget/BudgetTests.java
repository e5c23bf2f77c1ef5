package dev.callbacks.budget;

import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BudgetTests {

	@Test
	void fluentDefinitions() {
		Budget perRequest = Budget.tokens(20_000).perRequest();
		assertThat(perRequest.scope()).isEqualTo(Scope.REQUEST);
		assertThat(perRequest.period()).isEqualTo(Period.REQUEST);
		assertThat(perRequest.limitTokens()).isEqualTo(20_000);
		assertThat(perRequest.limitUsd()).isNull();
		assertThat(perRequest.name()).isNull();
		assertThat(perRequest.id()).isEqualTo("20000-tokens-per-request");
		assertThat(perRequest.defaultMaxOutputTokens()).isEqualTo(Budget.DEFAULT_MAX_OUTPUT_TOKENS);
		assertThat(perRequest.streamPolicy()).isEqualTo(StreamPolicy.STOP);

		Budget tenantDaily = Budget.usd("5").per(Scope.TENANT).daily();
		assertThat(tenantDaily.period()).isEqualTo(Period.DAY);
		assertThat(tenantDaily.window()).isEqualTo(Window.CALENDAR);
		assertThat(tenantDaily.zone()).isEqualTo(ZoneOffset.UTC);
		assertThat(tenantDaily.id()).isEqualTo("5-usd-per-tenant-day-calendar");

		Budget both = Budget.tokens(100_000)
			.andUsd("0.50")
			.per(Scope.USER)
			.hourly()
			.rolling()
			.forClients("shop")
			.named("user-hourly");
		assertThat(both.id()).isEqualTo("user-hourly");
		assertThat(both.window()).isEqualTo(Window.ROLLING);
		assertThat(both.appliesTo("shop")).isTrue();
		assertThat(both.appliesTo("summary")).isFalse();
		assertThat(Budget.tokens(1).per(Scope.GLOBAL).every(Period.MONTH).zone(ZoneId.of("Europe/Paris")).id())
			.isEqualTo("1-tokens-per-global-month-calendar-Europe/Paris");
	}

	@Test
	void sameDefinitionSameBudgetAndNamesNeverMistakenForDefinitions() {
		assertThat(Budget.tokens(10).per(Scope.USER).daily()).isEqualTo(Budget.tokens(10).per(Scope.USER).daily())
			.hasSameHashCodeAs(Budget.tokens(10).per(Scope.USER).daily());
		assertThat(Budget.tokens(10).per(Scope.USER).daily()).isNotEqualTo(Budget.tokens(11).per(Scope.USER).daily());
		Budget named = Budget.tokens(10).perRequest().named("10-tokens-per-request");
		assertThat(named.counterId()).isNotEqualTo(Budget.tokens(10).perRequest().counterId());
		// UTC written as a region is the same zone.
		assertThat(Budget.tokens(10).per(Scope.USER).daily().zone(ZoneId.of("UTC")))
			.isEqualTo(Budget.tokens(10).per(Scope.USER).daily());
	}

	@Test
	void invalidDefinitionsAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> Budget.tokens(0)).withMessageContaining("positive");
		assertThatIllegalArgumentException().isThrownBy(() -> Budget.usd("-1")).withMessageContaining("positive");
		assertThatIllegalArgumentException().isThrownBy(() -> Budget.limits(null, null))
			.withMessageContaining("needs a limit");
		assertThatIllegalArgumentException().isThrownBy(() -> Budget.tokens(1).per(Scope.REQUEST))
			.withMessageContaining("perRequest()");
		assertThatIllegalArgumentException().isThrownBy(() -> Budget.tokens(1).per(Scope.USER).every(Period.REQUEST))
			.withMessageContaining("perRequest()");
		assertThatIllegalArgumentException().isThrownBy(() -> Budget.tokens(1).perRequest().rolling())
			.withMessageContaining("no rolling window");
		assertThatIllegalArgumentException().isThrownBy(() -> Budget.tokens(1).perRequest().named("a b"))
			.withMessageContaining("letters, digits");
		assertThatIllegalArgumentException().isThrownBy(() -> Budget.tokens(1).perRequest().defaultMaxOutputTokens(0))
			.withMessageContaining("positive");
	}

}
