package dev.callbacks.openai;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;

import dev.callbacks.Callbacks;
import dev.callbacks.handlers.FileCallbackHandler;
import dev.callbacks.handlers.LoggingCallbackHandler;
import dev.callbacks.handlers.StdOutCallbackHandler;
import dev.callbacks.handlers.StreamingStdOutCallbackHandler;
import dev.callbacks.test.OpenAiMockServer;
import dev.callbacks.test.OpenAiMockServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import reactor.test.StepVerifier;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Providers quote the prompt in their error messages (a 400 that repeats the offending
 * input): with content off, no built-in handler writes an exception's message, only its
 * type and HTTP status; with content on, they write it.
 */
@ExtendWith(OutputCaptureExtension.class)
class OpenAiErrorContentTests {

	private static final OpenAiMockServer server = OpenAiMockServer.start();

	private static final String SECRET = "my card number is 4111 1111 1111 1111";

	private static final String LOGGER = "shop-errors";

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void withoutContentNoHandlerWritesTheErrorMessageThatQuotesThePrompt(@TempDir Path dir, CapturedOutput output)
			throws IOException {
		Outputs outputs = callAndStreamIntoEveryBuiltInHandler(dir, false, output);

		for (String text : outputs.all()) {
			assertThat(text).doesNotContain(SECRET).doesNotContain("4111 1111");
		}
		// What failed is still there: the exception's type and the HTTP status.
		assertThat(outputs.stdOut()).contains("llm_error error=BadRequestException status=400");
		assertThat(outputs.file()).contains("llm_error error=BadRequestException status=400")
			.contains("chain_error error=BadRequestException status=400");
		assertThat(outputs.logged()).contains("WARN").contains("llm_error error=BadRequestException status=400");
	}

	@Test
	void withContentTheHandlersWriteTheErrorMessage(@TempDir Path dir, CapturedOutput output) throws IOException {
		Outputs outputs = callAndStreamIntoEveryBuiltInHandler(dir, true, output);

		assertThat(outputs.stdOut()).contains(SECRET);
		assertThat(outputs.file()).contains(SECRET);
		assertThat(outputs.logged()).contains(SECRET);
		// Tokens only, by design: nothing is streamed before a 400.
		assertThat(outputs.streamingStdOut()).isEmpty();
	}

	private Outputs callAndStreamIntoEveryBuiltInHandler(Path dir, boolean includeContent, CapturedOutput output)
			throws IOException {
		server.respondWith(request -> Reply.error(400, "invalid_request_error", "invalid_prompt",
				"Invalid prompt: '" + request.lastContent("user") + "' was flagged by our usage policy."));
		ByteArrayOutputStream stdOut = new ByteArrayOutputStream();
		ByteArrayOutputStream streamingStdOut = new ByteArrayOutputStream();
		Path file = dir.resolve("output.log");
		try (FileCallbackHandler fileHandler = new FileCallbackHandler(file, includeContent)) {
			ChatClient client = ChatClient.builder(server.chatModel())
				.defaultAdvisors(Callbacks.handlers(
						new StdOutCallbackHandler(new PrintStream(stdOut, true, StandardCharsets.UTF_8),
								includeContent),
						new StreamingStdOutCallbackHandler(
								new PrintStream(streamingStdOut, true, StandardCharsets.UTF_8)),
						fileHandler, new LoggingCallbackHandler(LoggerFactory.getLogger(LOGGER), includeContent)))
				.build();

			assertThatException().isThrownBy(() -> client.prompt(SECRET).call().content());
			StepVerifier.create(client.prompt(SECRET).stream().content()).expectError().verify(Duration.ofSeconds(10));
		}
		// The provider did get the prompt, and quoted it back.
		assertThat(server.requests()).extracting(request -> request.lastContent("user")).contains(SECRET);
		// The logging handler's lines go to the console, captured by the extension.
		String logged = output.getAll()
			.lines()
			.filter(line -> line.contains(" " + LOGGER + " "))
			.collect(Collectors.joining("\n"));
		return new Outputs(stdOut.toString(StandardCharsets.UTF_8), streamingStdOut.toString(StandardCharsets.UTF_8),
				Files.readString(file), logged);
	}

	record Outputs(String stdOut, String streamingStdOut, String file, String logged) {

		String[] all() {
			return new String[] { this.stdOut, this.streamingStdOut, this.file, this.logged };
		}

	}

}
