package dev.callbacks.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import dev.callbacks.ledger.LedgerTable;

import org.springframework.boot.jdbc.init.PropertiesBasedDataSourceScriptDatabaseInitializer;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.util.StreamUtils;

/**
 * Creates the ledger table from the script of the database's platform
 * ({@code dev/callbacks/ledger/schema-postgresql.sql}, {@code -mysql}, {@code -mariadb},
 * {@code -h2}) as {@code callbacks.ledger.initialize-schema} says, with the configured
 * table name in place of {@code @@table@@} (and {@code @@table_name@@}, the name without
 * its schema, for indexes).
 */
class LedgerSchemaInitializer extends PropertiesBasedDataSourceScriptDatabaseInitializer<CallbacksLedgerProperties> {

	private final String tableName;

	LedgerSchemaInitializer(DataSource dataSource, CallbacksLedgerProperties properties, String tableName) {
		super(dataSource, properties);
		this.tableName = tableName;
	}

	@Override
	protected void runScripts(Scripts scripts) {
		Charset encoding = (scripts.getEncoding() != null) ? scripts.getEncoding() : StandardCharsets.UTF_8;
		List<Resource> named = new ArrayList<>();
		for (Resource script : scripts) {
			named.add(new ByteArrayResource(withTableName(script, encoding).getBytes(encoding),
					script.getDescription() + " for table " + this.tableName));
		}
		super.runScripts(new Scripts(named).continueOnError(scripts.isContinueOnError())
			.separator(scripts.getSeparator())
			.encoding(encoding));
	}

	private String withTableName(Resource script, Charset encoding) {
		try {
			return StreamUtils.copyToString(script.getInputStream(), encoding)
				.replace("@@table_name@@", LedgerTable.unqualified(this.tableName))
				.replace("@@table@@", this.tableName);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + script.getDescription(), ex);
		}
	}

}
