package dev.callbacks.test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.registry.otlp.OtlpConfig;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A loopback OTLP/HTTP metrics receiver: keeps each export request (protobuf) it is sent,
 * decoded.
 */
public final class OtlpReceiver implements AutoCloseable {

	private final HttpServer server;

	private final BlockingQueue<ExportMetricsServiceRequest> exports = new LinkedBlockingQueue<>();

	public OtlpReceiver() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/v1/metrics", exchange -> {
			try (InputStream body = exchange.getRequestBody()) {
				this.exports.add(ExportMetricsServiceRequest.parseFrom(body));
				exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
				exchange.sendResponseHeaders(200, -1);
			}
			catch (IOException | RuntimeException ex) {
				exchange.sendResponseHeaders(400, -1);
			}
			finally {
				exchange.close();
			}
		});
		this.server.start();
	}

	/** The URL to export to. */
	public String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/v1/metrics";
	}

	/**
	 * A configuration for Micrometer's OTLP registry exporting here, with a step far
	 * longer than a test, so that only closing the registry publishes.
	 */
	public OtlpConfig config() {
		Map<String, String> config = Map.of("otlp.url", url(), "otlp.step", "1h", "otlp.baseTimeUnit", "seconds",
				"otlp.aggregationTemporality", "cumulative");
		return config::get;
	}

	/** The metrics of the last export, by name (each name once). */
	public Map<String, Metric> lastExport() throws InterruptedException {
		ExportMetricsServiceRequest last = this.exports.poll(10, TimeUnit.SECONDS);
		assertThat(last).as("an OTLP export").isNotNull();
		ExportMetricsServiceRequest next;
		while ((next = this.exports.poll()) != null) {
			last = next;
		}
		Map<String, Metric> metrics = new TreeMap<>();
		for (ResourceMetrics resource : last.getResourceMetricsList()) {
			for (ScopeMetrics scope : resource.getScopeMetricsList()) {
				for (Metric metric : scope.getMetricsList()) {
					assertThat(metrics.put(metric.getName(), metric)).as("%s exported once", metric.getName()).isNull();
				}
			}
		}
		return metrics;
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	/** The one data point of {@code metric} whose attributes are exactly these. */
	public static HistogramDataPoint point(Metric metric, Map<String, String> attributes) {
		List<HistogramDataPoint> found = metric.getHistogram()
			.getDataPointsList()
			.stream()
			.filter(p -> attributes(p.getAttributesList()).equals(new TreeMap<>(attributes)))
			.toList();
		assertThat(found).as("%s points with %s", metric.getName(), attributes).hasSize(1);
		return found.get(0);
	}

	public static Map<String, String> attributes(List<KeyValue> attributes) {
		Map<String, String> map = new TreeMap<>();
		for (KeyValue attribute : attributes) {
			assertThat(map.put(attribute.getKey(), attribute.getValue().getStringValue())).isNull();
		}
		return map;
	}

}
