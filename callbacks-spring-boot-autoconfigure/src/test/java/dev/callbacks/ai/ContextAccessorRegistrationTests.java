package dev.callbacks.ai;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.callbacks.BaseCallbackHandler;
import dev.callbacks.CallbackManager;
import dev.callbacks.UsageTracker;
import dev.callbacks.test.ScriptedChatModel;
import dev.callbacks.test.ScriptedChatModel.Reply;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Context-propagation saves, resets and restores every registered
 * {@code ThreadLocalAccessor} in every Reactor {@code handle()} of every streamed chunk,
 * so the starter registers its two only once something can need them: the run's when a
 * run is first made current, the tracker's when the first tracker is made. The registry
 * is global to the JVM, so each step is checked in a JVM of its own.
 */
class ContextAccessorRegistrationTests {

	@Test
	void nothingListeningRegistersNoAccessor() throws Exception {
		assertThat(probe("inert")).isEqualTo("run=false tracker=false");
	}

	@Test
	void aListeningHandlerRegistersTheRunsAccessorOnly() throws Exception {
		assertThat(probe("handler")).isEqualTo("run=true tracker=false");
	}

	@Test
	void aTrackerRegistersTheTrackersAccessorToo() throws Exception {
		assertThat(probe("tracker")).isEqualTo("run=true tracker=true");
	}

	private static String probe(String scenario) throws IOException, InterruptedException {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
				Probe.class.getName(), scenario));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		boolean exited = process.waitFor(60, TimeUnit.SECONDS);
		if (!exited) {
			process.destroyForcibly();
		}
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(exited).as("probe exited in time; output: %s", output).isTrue();
		assertThat(process.exitValue()).as("probe's exit code; output: %s", output).isZero();
		// The last line is the answer; logging may precede it.
		return output.lines().reduce((first, second) -> second).orElse("").trim();
	}

	/**
	 * One scenario in a fresh JVM; prints which of the starter's accessors it registered.
	 */
	static final class Probe {

		public static void main(String[] args) {
			String scenario = args[0];
			ScriptedChatModel model = new ScriptedChatModel();
			model.respondWith((prompt) -> Reply.tokens("Peonies", " and", " tulips"));
			List<BaseCallbackHandler> handlers = scenario.equals("handler")
					? List.of(new dev.callbacks.CallbackHandler() {
						@Override
						public void onLlmNewToken(dev.callbacks.event.LlmNewTokenEvent event) {
						}
					}) : List.of();
			CallbackManager manager = CallbackManager.builder().handlers(handlers).build();
			ChatClient client = ChatClient.builder(ModelRoundInterceptor.traced(model))
				.defaultAdvisors(CallbackAdvisors.forTracedModel(manager))
				.build();
			String streamed;
			String called;
			if (scenario.equals("tracker")) {
				try (UsageTracker tracker = UsageTracker.start()) {
					streamed = String.join("",
							client.prompt().user("Flowers?").stream().content().collectList().block());
					called = client.prompt().user("Flowers?").call().content();
				}
			}
			else {
				streamed = String.join("", client.prompt().user("Flowers?").stream().content().collectList().block());
				called = client.prompt().user("Flowers?").call().content();
			}
			if (!"Peonies and tulips".equals(streamed) || !"Peonies and tulips".equals(called)) {
				throw new IllegalStateException("unexpected answers: " + streamed + " / " + called);
			}
			String keys = ContextRegistry.getInstance()
				.getThreadLocalAccessors()
				.stream()
				.map(ThreadLocalAccessor::key)
				.map(String::valueOf)
				.collect(Collectors.joining(","));
			System.out.println("run=" + keys.contains(dev.callbacks.internal.Run.CONTEXT_KEY) + " tracker="
					+ keys.contains(UsageTracker.CONTEXT_KEY));
		}

	}

}
