package dev.callbacks.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import okhttp3.Headers;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the provider wire-format servers share: a MockWebServer on {@code 127.0.0.1}, a
 * script of replies taken one per request (then a responder, for requests whose order is
 * unknown), and the requests as received. Subclasses say which requests they serve and
 * how a reply looks on the wire.
 *
 * @param <R> the reply type
 */
public abstract class WireFormatServer<R> implements AutoCloseable {

	protected static final JsonMapper json = JsonMapper.shared();

	private final MockWebServer server = new MockWebServer();

	private final Queue<R> script = new ConcurrentLinkedQueue<>();

	private final List<Call> requests = new CopyOnWriteArrayList<>();

	private final AtomicInteger counter = new AtomicInteger();

	private volatile @Nullable Function<Call, R> responder;

	protected WireFormatServer() {
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return WireFormatServer.this.dispatch(request);
			}
		});
		try {
			this.server.start(InetAddress.getByName("127.0.0.1"), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** {@code http://127.0.0.1:<port>}. */
	public String baseUrl() {
		return "http://127.0.0.1:" + this.server.getPort();
	}

	/** Script the replies to the next requests, in order, one per request. */
	@SafeVarargs
	public final WireFormatServer<R> enqueue(R... replies) {
		this.script.addAll(Arrays.asList(replies));
		return this;
	}

	/** Answer requests that find the script empty with a function of the request. */
	public WireFormatServer<R> respondWith(Function<Call, R> responder) {
		this.responder = responder;
		return this;
	}

	/** The requests served so far, in arrival order. */
	public List<Call> requests() {
		return List.copyOf(this.requests);
	}

	public Call request(int index) {
		return this.requests.get(index);
	}

	@Override
	public void close() {
		try {
			this.server.shutdown();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Whether this server serves {@code method path} (others get a 404). */
	protected abstract boolean serves(String method, String path);

	/** The reply on the wire, as JSON or as a stream, as {@code call} asked for. */
	protected abstract MockResponse render(R reply, Call call);

	/** An HTTP error in the provider's error format. */
	protected abstract MockResponse error(int status, String message);

	private MockResponse dispatch(RecordedRequest recorded) {
		String method = (recorded.getMethod() != null) ? recorded.getMethod() : "";
		String path = (recorded.getPath() != null) ? recorded.getPath() : "";
		if (!serves(method, path)) {
			return error(404, getClass().getSimpleName() + " does not serve " + method + " " + path);
		}
		String body = recorded.getBody().readUtf8();
		Call call = new Call(this.counter.getAndIncrement(), method, path, recorded.getHeaders(),
				body.isEmpty() ? json.createObjectNode() : json.readTree(body));
		this.requests.add(call);
		try {
			R reply = this.script.poll();
			if (reply == null) {
				Function<Call, R> responder = this.responder;
				if (responder == null) {
					return error(500,
							getClass().getSimpleName() + " has no reply scripted for request #" + call.index());
				}
				reply = responder.apply(call);
			}
			return render(reply, call);
		}
		catch (RuntimeException | Error ex) {
			// Else MockWebServer drops the connection and the client waits for its
			// timeout.
			return error(500, getClass().getSimpleName() + " failed to answer request #" + call.index() + ": " + ex);
		}
	}

	protected static String write(JsonNode node) {
		return json.writeValueAsString(node);
	}

	/**
	 * A request as the server received it.
	 *
	 * @param index the arrival number, counting from 0
	 * @param method the HTTP method
	 * @param path the path with its query
	 * @param headers the headers
	 * @param body the JSON body
	 */
	public record Call(int index, String method, String path, Headers headers, JsonNode body) {

		public @Nullable String header(String name) {
			return this.headers.get(name);
		}

	}

}
