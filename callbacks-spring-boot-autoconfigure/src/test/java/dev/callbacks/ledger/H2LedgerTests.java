package dev.callbacks.ledger;

import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** The ledger on an embedded H2 database. */
class H2LedgerTests extends LedgerDatabaseTests {

	private final DataSource dataSource = new SimpleDriverDataSource(new org.h2.Driver(),
			"jdbc:h2:mem:ledger-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");

	@Override
	DataSource dataSource() {
		return this.dataSource;
	}

}
