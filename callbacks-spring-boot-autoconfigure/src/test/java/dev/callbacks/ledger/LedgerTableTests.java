package dev.callbacks.ledger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LedgerTableTests {

	@Test
	void plainAndSchemaQualifiedIdentifiersAreValid() {
		assertThat(LedgerTable.isValidName("callbacks_llm_usage")).isTrue();
		assertThat(LedgerTable.isValidName("Usage2")).isTrue();
		assertThat(LedgerTable.isValidName("billing.llm_usage")).isTrue();
		assertThat(LedgerTable.isValidName("_x")).isTrue();
	}

	@Test
	void anythingThatWouldNeedQuotingIsNot() {
		assertThat(LedgerTable.isValidName("")).isFalse();
		assertThat(LedgerTable.isValidName("2usage")).isFalse();
		assertThat(LedgerTable.isValidName("usage; DROP TABLE users")).isFalse();
		assertThat(LedgerTable.isValidName("\"usage\"")).isFalse();
		assertThat(LedgerTable.isValidName("a.b.c")).isFalse();
		assertThat(LedgerTable.isValidName("usage-log")).isFalse();
		assertThat(LedgerTable.isValidName("x".repeat(LedgerTable.MAX_LENGTH + 1))).isFalse();
		assertThat(LedgerTable.isValidName("x".repeat(LedgerTable.MAX_LENGTH))).isTrue();
	}

	@Test
	void indexesUseTheNameWithoutItsSchema() {
		assertThat(LedgerTable.unqualified("billing.llm_usage")).isEqualTo("llm_usage");
		assertThat(LedgerTable.unqualified("llm_usage")).isEqualTo("llm_usage");
	}

}
