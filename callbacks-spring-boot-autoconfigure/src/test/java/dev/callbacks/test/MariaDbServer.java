package dev.callbacks.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * A real MariaDB server of its own for a test: a data directory created with
 * {@code mariadb-install-db} in a temporary directory, {@code mariadbd} listening on a
 * free loopback port with grant tables off (no accounts to set up), stopped when the test
 * is done; every wait bounded. As root the server runs as the {@code mysql} user
 * (Debian's package creates it).
 * <p>
 * Without the binaries the test is skipped with a message naming the package to install;
 * under {@code CI=true} it fails instead.
 */
public final class MariaDbServer implements AutoCloseable {

	private static final String INSTALL = "apt-get install -y mariadb-server";

	private static final long TIMEOUT_SECONDS = 60;

	private static final String DATABASE = "ledger";

	private final Path directory;

	private final int port;

	private final Process process;

	private final Thread shutdownHook;

	private MariaDbServer(Path directory, int port, Process process) {
		this.directory = directory;
		this.port = port;
		this.process = process;
		// A test JVM that dies must not leave a server behind.
		this.shutdownHook = new Thread(process::destroyForcibly, "mariadb-test-server-stop");
	}

	/**
	 * Creates a data directory and starts a server on it, or skips the test (fails under
	 * CI) without binaries.
	 */
	public static MariaDbServer start() {
		Path server = findExecutable("mariadbd", "mysqld");
		Path installDb = findExecutable("mariadb-install-db", "mysql_install_db");
		if (server == null || installDb == null) {
			String message = "MariaDB binaries (mariadbd, mariadb-install-db) not found; install them with: " + INSTALL;
			LocalServers.missing(message);
		}
		boolean root = "root".equals(System.getProperty("user.name"));
		try {
			Path directory = Files.createTempDirectory("ledger-mariadb-");
			Path data = directory.resolve("data");
			if (root) {
				LocalServers.exec(List.of("chown", "mysql:mysql", directory.toString()),
						Duration.ofSeconds(TIMEOUT_SECONDS));
			}
			List<String> install = new ArrayList<>(List.of(installDb.toString(), "--no-defaults", "--datadir=" + data,
					"--auth-root-authentication-method=normal", "--skip-test-db"));
			if (root) {
				install.add("--user=mysql");
			}
			LocalServers.exec(install, Duration.ofSeconds(TIMEOUT_SECONDS));
			int port = LocalServers.freePort();
			List<String> command = new ArrayList<>(List.of(server.toString(), "--no-defaults", "--datadir=" + data,
					"--port=" + port, "--bind-address=127.0.0.1", "--socket=" + directory.resolve("mariadb.sock"),
					"--pid-file=" + directory.resolve("mariadb.pid"), "--log-error=" + directory.resolve("error.log"),
					"--skip-grant-tables", "--innodb-flush-log-at-trx-commit=0", "--skip-log-bin"));
			if (root) {
				command.add("--user=mysql");
			}
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(directory.resolve("console.log").toFile())
				.start();
			MariaDbServer started = new MariaDbServer(directory, port, process);
			Runtime.getRuntime().addShutdownHook(started.shutdownHook);
			started.awaitReady();
			started.createDatabase();
			return started;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A DataSource on the test database that opens a connection per use. */
	public DataSource dataSource() {
		return dataSource(DATABASE);
	}

	private DataSource dataSource(String database) {
		return new SimpleDriverDataSource(new org.mariadb.jdbc.Driver(),
				"jdbc:mariadb://127.0.0.1:" + this.port + "/" + database + "?connectTimeout=5000&socketTimeout=60000",
				"root", "");
	}

	@Override
	public void close() {
		try {
			this.process.destroy();
			if (!this.process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		finally {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
			LocalServers.delete(this.directory);
		}
	}

	private void awaitReady() {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("mariadbd exited with " + this.process.exitValue() + "\n" + log());
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 500);
				return;
			}
			catch (IOException notYet) {
				sleep();
			}
		}
		this.process.destroyForcibly();
		throw new IllegalStateException("mariadbd did not listen within " + TIMEOUT_SECONDS + " s\n" + log());
	}

	private void createDatabase() {
		// The port may accept connections a moment before the server takes queries.
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
		SQLException last = null;
		while (System.nanoTime() < deadline) {
			try (Connection connection = dataSource("").getConnection();
					Statement statement = connection.createStatement()) {
				statement.execute("CREATE DATABASE IF NOT EXISTS " + DATABASE);
				return;
			}
			catch (SQLException ex) {
				last = ex;
				sleep();
			}
		}
		throw new IllegalStateException("Could not create the test database\n" + log(), last);
	}

	private String log() {
		try {
			Path error = this.directory.resolve("error.log");
			return Files.exists(error) ? Files.readString(error, StandardCharsets.UTF_8) : "";
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private static void sleep() {
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static @Nullable Path findExecutable(String... names) {
		List<String> directories = new ArrayList<>(List.of("/usr/sbin", "/usr/bin"));
		String path = System.getenv("PATH");
		if (path != null) {
			directories.addAll(List.of(path.split(java.io.File.pathSeparator)));
		}
		for (String name : names) {
			for (String directory : directories) {
				Path candidate = Path.of(directory, name);
				if (Files.isExecutable(candidate)) {
					return candidate;
				}
			}
		}
		return null;
	}

}
