package dev.callbacks.ledger;

import javax.sql.DataSource;

import dev.callbacks.test.MariaDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The ledger on a real MariaDB server: its script ({@code schema-mariadb.sql}), its
 * batches and its types, through every test of {@link LedgerDatabaseTests}.
 */
class MariaDbLedgerTests extends LedgerDatabaseTests {

	private MariaDbServer server;

	@BeforeAll
	void startServer() {
		this.server = MariaDbServer.start();
	}

	@AfterAll
	void stopServer() {
		if (this.server != null) {
			this.server.close();
		}
	}

	@Override
	DataSource dataSource() {
		return this.server.dataSource();
	}

}
