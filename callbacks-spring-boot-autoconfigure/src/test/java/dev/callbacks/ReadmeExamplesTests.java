package dev.callbacks;

import java.util.List;

import dev.callbacks.event.ChatModelStartEvent;
import dev.callbacks.event.LlmEndEvent;
import dev.callbacks.event.LlmNewTokenEvent;
import dev.callbacks.test.ScriptedChatModel;
import dev.callbacks.test.ScriptedChatModel.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's code, run as written; its output is what the README shows. */
@ExtendWith(OutputCaptureExtension.class)
class ReadmeExamplesTests {

	// README: "Declare a handler"
	static class TokenPrinter implements CallbackHandler {

		@Override
		public void onLlmNewToken(LlmNewTokenEvent event) {
			System.out.print(event.token());
		}

		@Override
		public void onLlmEnd(LlmEndEvent event) {
			System.out.println("\n[" + event.model() + "] " + event.usage().totalTokens() + " tokens");
		}

	}

	// README: "Async handlers"
	static class ThankYouNotes implements AsyncCallbackHandler {

		@Override
		public Mono<Void> onChatModelStart(ChatModelStartEvent event) {
			return Mono.delay(java.time.Duration.ofMillis(500))
				.doOnNext(t -> System.out.println("Flower data fetched."))
				.then();
		}

		@Override
		public Mono<Void> onLlmEnd(LlmEndEvent event) {
			return Mono.fromRunnable(() -> System.out.println("Thank-you note sent."));
		}

	}

	@Test
	void handlerAndTracker(CapturedOutput output) throws java.io.IOException {
		ScriptedChatModel model = new ScriptedChatModel()
			.respondWith(prompt -> Reply.tokens("Roses", ", ", "tulips", " and ", "sunflowers", ".")
				.usage(prompt.getContents().length() / 4, 6)
				.model("gpt-4o-mini-2024-07-18"));
		ChatClient chatClient = ChatClient.builder(model)
			.defaultAdvisors(Callbacks.handlers(new TokenPrinter(), new ThankYouNotes()))
			.build();

		// README: "Count tokens"
		try (UsageTracker usage = UsageTracker.start()) {
			chatClient.prompt("Which flowers suit a birthday?").stream().content().blockLast();
			Flux<String> a = chatClient.prompt("What do pink roses mean?").stream().content();
			Flux<String> b = chatClient.prompt("Do you deliver tomorrow?").stream().content();
			Flux.merge(a, b).blockLast();
			System.out.println(usage.totalTokens() + " tokens in " + usage.successfulRequests() + " requests, $"
					+ usage.totalCost().toPlainString());
			System.out.println(usage.byModel());

			assertThat(usage.successfulRequests()).isEqualTo(3);
			assertThat(usage.totalTokens()).isEqualTo(3 * 6 + (30 + 24 + 24) / 4);
		}
		// The README's output, line by line: the first stream's lines in order, then the
		// two concurrent streams (whose lines interleave differently each run: the same
		// pieces, in any order), then the totals and cost exactly.
		List<String> readme = readmeOutput();
		List<String> printed = output.getOut().lines().filter((line) -> !line.startsWith("{")).toList();
		assertThat(printed.subList(0, 4)).isEqualTo(readme.subList(0, 4));
		assertThat(printed.get(printed.size() - 1)).isEqualTo(readme.get(readme.size() - 1));
		// Lines printed whole occur as often as in the README; the streamed tokens around
		// them are the same characters, in whatever interleaving.
		for (String piece : List.of("Flower data fetched.", "[gpt-4o-mini-2024-07-18] 12 tokens",
				"[gpt-4o-mini-2024-07-18] 13 tokens", "Thank-you note sent.")) {
			assertThat(occurrences(String.join("\n", printed), piece)).as(piece)
				.isEqualTo(occurrences(String.join("\n", readme), piece));
		}
		assertThat(sortedCharacters(printed)).isEqualTo(sortedCharacters(readme));
	}

	// The block after "With the two handlers above, this prints" in README.md.
	private static List<String> readmeOutput() throws java.io.IOException {
		String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
		int intro = readme.indexOf("With the two handlers above, this prints");
		assertThat(intro).as("the README's output block").isPositive();
		int start = readme.indexOf("```\n", intro) + 4;
		int end = readme.indexOf("```", start);
		return readme.substring(start, end).lines().toList();
	}

	private static String sortedCharacters(List<String> lines) {
		char[] characters = String.join("", lines).toCharArray();
		java.util.Arrays.sort(characters);
		return new String(characters);
	}

	private static int occurrences(String text, String piece) {
		int count = 0;
		for (int at = text.indexOf(piece); at >= 0; at = text.indexOf(piece, at + piece.length())) {
			count++;
		}
		return count;
	}

}
