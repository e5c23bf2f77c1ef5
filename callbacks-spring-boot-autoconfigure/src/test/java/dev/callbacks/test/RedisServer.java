package dev.callbacks.test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} (the Debian package) on a free loopback port with a
 * temporary folder, started and stopped by the test. Missing binary: the test is skipped
 * with the install command, or fails under {@code CI=true}.
 */
public final class RedisServer implements AutoCloseable {

	private static final String INSTALL = "apt-get install -y redis-server";

	private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

	private final String binary;

	private final int port;

	private final Path dir;

	private Process process;

	private RedisServer(String binary, int port, Path dir) {
		this.binary = binary;
		this.port = port;
		this.dir = dir;
	}

	/**
	 * Starts a server, or skips the test (fails under CI) when redis-server is missing.
	 */
	public static RedisServer startOrSkip() throws IOException, InterruptedException {
		String binary = findBinary();
		if (binary == null) {
			if ("true".equalsIgnoreCase(System.getenv("CI"))) {
				throw new IllegalStateException("redis-server is missing under CI=true: " + INSTALL);
			}
			Assumptions.abort("redis-server not found; install it with: " + INSTALL);
		}
		RedisServer server = new RedisServer(binary, LocalServers.freePort(),
				Files.createTempDirectory("budget-redis"));
		server.start();
		return server;
	}

	public int port() {
		return this.port;
	}

	/** Starts (or restarts, on the same port) the server and waits until it answers. */
	public synchronized void start() throws IOException, InterruptedException {
		if (this.process != null && this.process.isAlive()) {
			return;
		}
		List<String> command = new ArrayList<>(List.of(this.binary, "--port", Integer.toString(this.port), "--bind",
				"127.0.0.1", "--dir", this.dir.toString(), "--save", "", "--appendonly", "no", "--daemonize", "no",
				"--protected-mode", "yes", "--loglevel", "warning"));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.dir.resolve("redis.log").toFile());
		this.process = builder.start();
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						"redis-server exited: " + Files.readString(this.dir.resolve("redis.log")));
			}
			if (ping()) {
				return;
			}
			Thread.sleep(20);
		}
		stop();
		throw new IllegalStateException("redis-server did not answer within " + START_TIMEOUT);
	}

	/** Stops the server (bounded wait); connections to it fail from then on. */
	public synchronized void stop() throws InterruptedException {
		if (this.process == null) {
			return;
		}
		this.process.destroy();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		this.process = null;
	}

	@Override
	public void close() throws InterruptedException {
		stop();
		File[] files = this.dir.toFile().listFiles();
		if (files != null) {
			for (File file : files) {
				file.delete();
			}
		}
		this.dir.toFile().delete();
	}

	private boolean ping() {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			socket.setSoTimeout(1000);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] reply = new byte[7];
			int read = in.read(reply);
			return read > 0 && new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static String findBinary() {
		for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
			if (new File(candidate).canExecute()) {
				return candidate;
			}
		}
		String path = System.getenv("PATH");
		if (path != null) {
			for (String entry : path.split(File.pathSeparator)) {
				File file = new File(entry, "redis-server");
				if (file.canExecute()) {
					return file.getPath();
				}
			}
		}
		return null;
	}

}
