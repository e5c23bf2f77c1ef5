package dev.callbacks.demo.grafana;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * A Prometheus server of its own for a test: the Debian binary, started on a free
 * loopback port with a generated configuration that scrapes one target, and storage in a
 * temporary folder; stopped and removed on {@link #close()}. Whatever service the package
 * may have started is left alone.
 */
final class PrometheusServer implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

	private final Process process;

	private final Path folder;

	private final URI base;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();

	private PrometheusServer(Process process, Path folder, URI base) {
		this.process = process;
		this.folder = folder;
		this.base = base;
	}

	/**
	 * Start Prometheus and wait until it is ready.
	 * @param binary the {@code prometheus} executable
	 * @param target the {@code host:port} to scrape
	 * @param metricsPath the path to scrape, e.g. {@code /actuator/prometheus}
	 * @param scrapeInterval how often to scrape
	 */
	static PrometheusServer start(Path binary, String target, String metricsPath, Duration scrapeInterval)
			throws IOException {
		Path folder = Files.createTempDirectory("demo-flower-shop-prometheus");
		String interval = scrapeInterval.toMillis() + "ms";
		Path config = Files.writeString(folder.resolve("prometheus.yml"), """
				global:
				  scrape_interval: %1$s
				  scrape_timeout: %1$s
				  evaluation_interval: %1$s
				scrape_configs:
				  - job_name: demo-flower-shop
				    metrics_path: %2$s
				    static_configs:
				      - targets: ['%3$s']
				""".formatted(interval, metricsPath, target));
		int port = freePort();
		List<String> command = List.of(binary.toString(), "--config.file=" + config,
				"--storage.tsdb.path=" + folder.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
				"--storage.tsdb.retention.time=1h", "--log.level=warn");
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(folder.resolve("prometheus.log").toFile())
			.start();
		PrometheusServer server = new PrometheusServer(process, folder, URI.create("http://127.0.0.1:" + port));
		try {
			await("Prometheus ready on port " + port).atMost(START_TIMEOUT)
				.pollInterval(Duration.ofMillis(200))
				.until(() -> {
					if (!process.isAlive()) {
						throw new IllegalStateException(
								"Prometheus exited with " + process.exitValue() + ": " + server.log());
					}
					return server.ready();
				});
		}
		catch (RuntimeException ex) {
			server.close();
			throw ex;
		}
		return server;
	}

	/**
	 * Run an instant query.
	 * @param promql the query
	 * @param timeMillis when to evaluate it, in milliseconds since the epoch
	 * @return the {@code data} of the answer: {@code resultType} and {@code result}
	 */
	JsonNode query(String promql, long timeMillis) {
		String time = String.format(Locale.ROOT, "%d.%03d", timeMillis / 1000, timeMillis % 1000);
		return get("/api/v1/query?query=" + encode(promql) + "&time=" + time);
	}

	/**
	 * The values of a label on the series that match, as Grafana's {@code label_values}
	 * lists them.
	 */
	List<String> labelValues(String label, String match) {
		JsonNode values = get("/api/v1/label/" + label + "/values?match[]=" + encode(match));
		List<String> result = new ArrayList<>();
		values.forEach((value) -> result.add(value.asString()));
		return result;
	}

	/** The last lines Prometheus logged, for failure messages. */
	String log() {
		try {
			List<String> lines = Files.readAllLines(this.folder.resolve("prometheus.log"));
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private boolean ready() {
		try {
			HttpResponse<String> response = this.http.send(
					HttpRequest.newBuilder(this.base.resolve("/-/ready")).timeout(REQUEST_TIMEOUT).build(),
					HttpResponse.BodyHandlers.ofString());
			return response.statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private JsonNode get(String pathAndQuery) {
		HttpResponse<String> response;
		try {
			response = this.http.send(
					HttpRequest.newBuilder(URI.create(this.base + pathAndQuery)).timeout(REQUEST_TIMEOUT).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		JsonNode body = JSON.readTree(response.body());
		if (response.statusCode() != 200 || !"success".equals(body.path("status").asString(""))) {
			throw new IllegalStateException(
					"Prometheus answered " + response.statusCode() + " to " + pathAndQuery + ": " + response.body());
		}
		return body.path("data");
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		try (Stream<Path> files = Files.walk(this.folder)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// A temporary folder left behind is not worth failing the test for.
		}
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
