package dev.callbacks.handlers;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.callbacks.Callbacks;
import dev.callbacks.test.ScriptedChatModel;
import dev.callbacks.test.ScriptedChatModel.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpClientErrorException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

@ExtendWith(OutputCaptureExtension.class)
class BuiltInHandlersTests {

	private static final String SECRET_PROMPT = "My sister's birthday is tomorrow";

	private static final String SECRET_ANSWER = "Pink roses for your sister.";

	private final ScriptedChatModel model = new ScriptedChatModel()
		.respondWith(prompt -> Reply.tokens("Pink", " roses", " for", " your", " sister.").usage(12, 5));

	private ChatClient client(dev.callbacks.BaseCallbackHandler handler) {
		return ChatClient.builder(this.model).defaultAdvisors(Callbacks.handlers(handler)).build();
	}

	@Test
	void stdOutPrintsChainsAndRoundsWithoutContent() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		client(new StdOutCallbackHandler(new PrintStream(bytes, true), false)).prompt(SECRET_PROMPT).call().content();

		String out = bytes.toString(StandardCharsets.UTF_8);
		assertThat(out.lines()).containsExactly("> Entering new chat_client chain...",
				"  llm_start model=scripted-model messages=1", "  llm_end model=scripted-model tokens=12+5=17",
				"> Finished chain. tokens=12+5=17");
		assertThat(out).doesNotContain("sister");
	}

	@Test
	void stdOutPrintsContentWhenAsked() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		client(new StdOutCallbackHandler(new PrintStream(bytes, true), true)).prompt(SECRET_PROMPT).call().content();

		assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("prompt=\"" + SECRET_PROMPT + "\"")
			.contains("completion=\"" + SECRET_ANSWER + "\"");
	}

	@Test
	void streamingStdOutPrintsTokensOnlyAndALineBreakPerRound() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		ChatClient client = client(new StreamingStdOutCallbackHandler(new PrintStream(bytes, true)));

		client.prompt("x").stream().content().blockLast();
		client.prompt("y").call().content();

		assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(SECRET_ANSWER + System.lineSeparator());
	}

	@Test
	void fileHandlerAppendsOneWholeLinePerEventFromConcurrentRuns(@TempDir Path dir) throws Exception {
		Path log = dir.resolve("output.log");
		Files.writeString(log, "existing line" + System.lineSeparator());
		try (FileCallbackHandler handler = new FileCallbackHandler(log)) {
			ChatClient client = client(handler);
			ExecutorService pool = Executors.newFixedThreadPool(8);
			for (int i = 0; i < 50; i++) {
				pool.submit(() -> client.prompt(SECRET_PROMPT).call().content());
			}
			pool.shutdown();
			assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		}

		List<String> lines = Files.readAllLines(log);
		assertThat(lines).hasSize(1 + 50 * 4);
		assertThat(lines.get(0)).isEqualTo("existing line");
		assertThat(lines.subList(1, lines.size())).allSatisfy(line -> assertThat(line)
			.matches("\\d{4}-\\d\\d-\\d\\dT\\S+ (chain_start|llm_start|llm_end|chain_end) .* run=[0-9a-f-]{36}.*"));
		assertThat(lines).filteredOn(line -> line.contains(" chain_end ")).hasSize(50);
		assertThat(String.join("\n", lines)).doesNotContain("sister");
	}

	@Test
	void errorsAreWrittenAsTypeAndStatusWithoutTheirMessage() {
		// Spring's RestClient errors carry the response body, which quotes the prompt, in
		// their message; the status comes from getStatusCode(), an HttpStatusCode.
		RuntimeException error = HttpClientErrorException.create(HttpStatus.BAD_REQUEST, "Bad Request",
				HttpHeaders.EMPTY, ("{\"error\":\"'" + SECRET_PROMPT + "' is not allowed\"}").getBytes(),
				StandardCharsets.UTF_8);
		ScriptedChatModel failing = new ScriptedChatModel().respondWith(prompt -> Reply.error(error));
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		ChatClient client = ChatClient.builder(failing)
			.defaultAdvisors(Callbacks.handlers(new StdOutCallbackHandler(new PrintStream(bytes, true), false)))
			.build();

		assertThatException().isThrownBy(() -> client.prompt(SECRET_PROMPT).call().content());

		assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("  llm_error error=BadRequest status=400")
			.doesNotContain("sister");
	}

	@Test
	void loggingHandlerLogsChainEndsAtInfo(CapturedOutput output) {
		client(new LoggingCallbackHandler(LoggerFactory.getLogger("flower-shop"), false)).prompt(SECRET_PROMPT)
			.call()
			.content();

		assertThat(output).contains("INFO flower-shop -- chain_end tokens=12+5=17 name=chat_client run=")
			.doesNotContain("sister");
	}

}
