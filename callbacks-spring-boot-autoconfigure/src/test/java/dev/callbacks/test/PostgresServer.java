package dev.callbacks.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * A real PostgreSQL server of its own for a test: a cluster created with {@code initdb}
 * in a temporary directory, listening on a free loopback port, started and stopped with
 * {@code pg_ctl} (every wait bounded). PostgreSQL refuses to run as root, so as root the
 * server runs as the {@code postgres} user (Debian's package creates it).
 * <p>
 * Without the binaries the test is skipped with a message naming the package to install;
 * under {@code CI=true} it fails instead.
 */
public final class PostgresServer implements AutoCloseable {

	private static final String INSTALL = "apt-get install -y postgresql";

	private static final long COMMAND_TIMEOUT_SECONDS = 60;

	private final Path bin;

	private final Path directory;

	private final Path data;

	private final int port;

	private final boolean asPostgresUser;

	private final Thread shutdownHook;

	private volatile boolean running;

	private PostgresServer(Path bin, Path directory, int port, boolean asPostgresUser) {
		this.bin = bin;
		this.directory = directory;
		this.data = directory.resolve("data");
		this.port = port;
		this.asPostgresUser = asPostgresUser;
		// A test JVM that dies must not leave a server behind.
		this.shutdownHook = new Thread(() -> {
			if (this.running) {
				run(List.of(pgCtl(), "-D", this.data.toString(), "-m", "immediate", "-w", "-t", "10", "stop"));
			}
		}, "postgres-test-server-stop");
	}

	/**
	 * Creates a cluster and starts it, or skips the test (fails under CI) without
	 * binaries.
	 */
	public static PostgresServer start() {
		Path bin = findBinaries();
		if (bin == null) {
			String message = "PostgreSQL binaries (initdb, pg_ctl) not found; install them with: " + INSTALL;
			LocalServers.missing(message);
		}
		boolean root = "root".equals(System.getProperty("user.name"));
		try {
			Path directory = Files.createTempDirectory("ledger-postgres-");
			if (root) {
				LocalServers.exec(List.of("chown", "postgres:postgres", directory.toString()),
						Duration.ofSeconds(COMMAND_TIMEOUT_SECONDS + 10));
			}
			PostgresServer server = new PostgresServer(bin, directory, LocalServers.freePort(), root);
			Runtime.getRuntime().addShutdownHook(server.shutdownHook);
			server.initdb();
			server.startServer();
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The JDBC URL of the {@code postgres} database. */
	public String jdbcUrl() {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/postgres?connectTimeout=5&socketTimeout=60";
	}

	/** A DataSource that opens a connection per use (no pool to hide an outage). */
	public DataSource dataSource() {
		return new SimpleDriverDataSource(new org.postgresql.Driver(), jdbcUrl(), "postgres", "");
	}

	/** Starts the stopped server again, on the same port with the same data. */
	public void startServer() {
		run(List.of(pgCtl(), "-D", this.data.toString(), "-l", this.directory.resolve("server.log").toString(), "-w",
				"-t", String.valueOf(COMMAND_TIMEOUT_SECONDS), "-o",
				"-p " + this.port + " -k " + this.directory + " -c listen_addresses=127.0.0.1"
						+ " -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
				"start"));
		this.running = true;
	}

	/**
	 * Stops the server (fast shutdown: clients are disconnected), waiting until it is
	 * down.
	 */
	public void stopServer() {
		run(List.of(pgCtl(), "-D", this.data.toString(), "-m", "fast", "-w", "-t",
				String.valueOf(COMMAND_TIMEOUT_SECONDS), "stop"));
		this.running = false;
	}

	@Override
	public void close() {
		try {
			if (this.running) {
				stopServer();
			}
		}
		finally {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
			LocalServers.delete(this.directory);
		}
	}

	private void initdb() {
		run(List.of(this.bin.resolve("initdb").toString(), "-D", this.data.toString(), "-U", "postgres", "-A", "trust",
				"-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"));
	}

	private String pgCtl() {
		return this.bin.resolve("pg_ctl").toString();
	}

	private void run(List<String> command) {
		List<String> full = new ArrayList<>();
		if (this.asPostgresUser) {
			full.addAll(List.of("runuser", "-u", "postgres", "--"));
		}
		full.addAll(command);
		LocalServers.exec(full, Duration.ofSeconds(COMMAND_TIMEOUT_SECONDS + 10));
	}

	private static @Nullable Path findBinaries() {
		Path versions = Path.of("/usr/lib/postgresql");
		if (Files.isDirectory(versions)) {
			try (Stream<Path> found = Files.list(versions)) {
				Path newest = found.map((version) -> version.resolve("bin"))
					.filter((bin) -> Files.isExecutable(bin.resolve("initdb"))
							&& Files.isExecutable(bin.resolve("pg_ctl")))
					.max(Comparator.comparing((bin) -> versionNumber(bin.getParent().getFileName().toString())))
					.orElse(null);
				if (newest != null) {
					return newest;
				}
			}
			catch (IOException ex) {
				// Fall through to the PATH.
			}
		}
		String path = System.getenv("PATH");
		if (path != null) {
			for (String entry : path.split(java.io.File.pathSeparator)) {
				Path bin = Path.of(entry);
				if (Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl"))) {
					return bin;
				}
			}
		}
		return null;
	}

	private static int versionNumber(String name) {
		try {
			return Integer.parseInt(name.replaceAll("\\..*", ""));
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
