package dev.callbacks.handlers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.callbacks.Callbacks;
import dev.callbacks.autoconfigure.CallbacksAutoConfiguration;
import dev.callbacks.test.OpenAiMockServer;
import dev.callbacks.test.OpenAiMockServer.Reply;
import dev.callbacks.test.ScriptedChatModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The file handler cannot be made to forge lines, does not grow without bound, and is
 * readable by its owner only.
 */
class FileCallbackHandlerHardeningTests {

	private static final OpenAiMockServer server = OpenAiMockServer.start();

	// What a line of the file looks like: a timestamp, then the event.
	private static final String LINE = "\\d{4}-\\d\\d-\\d\\dT\\S+Z (chain_start|llm_start|llm_end|chain_end) .*";

	private static final String FORGED = "2026-01-01T00:00:00Z chain_end name=forged run=00000000";

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void controlCharactersFromTheProviderAndTheCallerStayOnTheirLine(@TempDir Path dir) throws IOException {
		// The model name comes from the provider's response; tags and metadata from the
		// caller, who may copy them from user input.
		server.enqueue(Reply.text("Roses.").withUsage(5, 2).withModel("gpt-4o-mini\n" + FORGED + "\r\n" + FORGED));
		Path log = dir.resolve("output.log");
		try (FileCallbackHandler handler = new FileCallbackHandler(log)) {
			ChatClient client = ChatClient.builder(server.chatModel()).build();
			client.prompt("Which flowers?")
				.advisors(Callbacks.handlers(handler)
					.tags("tag\n" + FORGED, "tab\there")
					.metadata("user",
							"x\u2028" + FORGED + "\u2029" + FORGED + "\u0085" + FORGED + "\u000b\u0000\u001b[31m"))
				.call()
				.content();
		}

		List<String> lines = Files.readAllLines(log);
		// chain_start, llm_start, llm_end, chain_end: four events, four lines.
		assertThat(lines).hasSize(4).allSatisfy(line -> assertThat(line).matches(LINE));
		assertThat(lines.get(2)).contains("llm_end model=gpt-4o-mini\\n" + FORGED + "\\r\\n" + FORGED);
		assertThat(lines.get(0)).contains("tags=[tag\\n" + FORGED + ", tab\\there]")
			.contains("\\u2028" + FORGED + "\\u2029" + FORGED + "\\u0085" + FORGED + "\\u000b\\u0000\\u001b[31m");
		// Nothing a reader splits lines at is left, not even the Unicode separators.
		String text = Files.readString(log);
		assertThat(text.split("\\R", -1)).hasSize(5);
		assertThat(text.chars().filter(c -> c < 0x20 && c != '\n' || (c >= 0x7f && c <= 0x9f))).isEmpty();
	}

	@Test
	void promptTextWithLineBreaksStaysOnOneLineWhenContentIsIncluded(@TempDir Path dir) throws IOException {
		server.enqueue(Reply.text("Roses,\nand\u2028tulips.").withUsage(5, 2));
		Path log = dir.resolve("output.log");
		try (FileCallbackHandler handler = new FileCallbackHandler(log, true)) {
			ChatClient.builder(server.chatModel())
				.build()
				.prompt("Which flowers?\r\n" + FORGED)
				.advisors(Callbacks.handlers(handler))
				.call()
				.content();
		}

		List<String> lines = Files.readAllLines(log);
		assertThat(lines).hasSize(4).allSatisfy(line -> assertThat(line).matches(LINE));
		assertThat(lines.get(1)).contains("prompt=\"Which flowers?\\r\\n" + FORGED + "\"");
		assertThat(lines.get(2)).contains("completion=\"Roses,\\nand\\u2028tulips.\"");
	}

	@Test
	void theFileIsRotatedAtItsSizeKeepingAtMostMaxHistoryFiles(@TempDir Path dir) throws IOException {
		Path log = dir.resolve("output.log");
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CallbacksAutoConfiguration.class))
			.withPropertyValues("callbacks.file.path=" + log, "callbacks.file.max-size=2KB",
					"callbacks.file.max-history=2")
			.run(context -> {
				FileCallbackHandler handler = context.getBean(FileCallbackHandler.class);
				ChatClient client = ChatClient
					.builder(new ScriptedChatModel()
						.respondWith(prompt -> ScriptedChatModel.Reply.text("ok").usage(3, 1)))
					.defaultAdvisors(Callbacks.handlers(handler))
					.build();
				// 4 lines of about 150 bytes per call: 100 calls write about 60 KB.
				for (int i = 0; i < 100; i++) {
					client.prompt("q").advisors(Callbacks.handlers().metadata("call", i)).call().content();
				}
			});

		assertThat(filesIn(dir)).containsExactlyInAnyOrder("output.log", "output.log.1", "output.log.2");
		for (String name : List.of("output.log", "output.log.1", "output.log.2")) {
			assertThat(dir.resolve(name)).satisfies(file -> {
				assertThat(Files.size(file)).isPositive().isLessThanOrEqualTo(2048);
				assertThat(Files.readAllLines(file)).allSatisfy(line -> assertThat(line).matches(LINE));
			});
		}
		// The newest events are in output.log, the older ones in .1, then .2: no line
		// lost or repeated between them.
		List<String> kept = new ArrayList<>();
		for (String name : List.of("output.log.2", "output.log.1", "output.log")) {
			kept.addAll(readAllLines(dir.resolve(name)));
		}
		assertThat(kept.get(kept.size() - 1)).contains("chain_end").contains("metadata={call=99}");
		List<Integer> calls = kept.stream()
			.filter(line -> line.contains(" chain_end "))
			.map(line -> Integer.valueOf(line.replaceAll(".*metadata=\\{call=(\\d+)}.*", "$1")))
			.toList();
		for (int i = 1; i < calls.size(); i++) {
			assertThat(calls.get(i)).isEqualTo(calls.get(i - 1) + 1);
		}
	}

	@Test
	void theFileAndItsRotatedCopiesAreReadableByTheirOwnerOnly(@TempDir Path dir) throws IOException {
		assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
				"POSIX permissions only: this file system has none");
		Path log = dir.resolve("output.log");
		// Also a file that was there before, readable by everyone.
		Path existing = dir.resolve("existing.log");
		Files.writeString(existing, "before\n");
		Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rw-r--r--"));

		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CallbacksAutoConfiguration.class))
			.withPropertyValues("callbacks.file.path=" + log, "callbacks.file.max-size=1KB",
					"callbacks.file.max-history=3")
			.run(context -> {
				ChatClient client = ChatClient
					.builder(new ScriptedChatModel()
						.respondWith(prompt -> ScriptedChatModel.Reply.text("ok").usage(3, 1)))
					.defaultAdvisors(Callbacks.handlers(context.getBean(FileCallbackHandler.class)))
					.build();
				for (int i = 0; i < 20; i++) {
					client.prompt("q").call().content();
				}
			});
		try (FileCallbackHandler handler = new FileCallbackHandler(existing)) {
			assertThat(handler.path()).isEqualTo(existing);
		}

		assertThat(filesIn(dir)).contains("output.log", "output.log.1", "output.log.2", "output.log.3");
		for (String name : filesIn(dir)) {
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name)))).as(name)
				.isEqualTo("rw-------");
		}
	}

	private static List<String> filesIn(Path dir) throws IOException {
		try (Stream<Path> files = Files.list(dir)) {
			return files.map(file -> file.getFileName().toString()).sorted().toList();
		}
	}

	private static List<String> readAllLines(Path file) {
		try {
			return Files.readAllLines(file);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
