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
	void handlerAndTracker(CapturedOutput output) {
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
		assertThat(output).contains("Roses, tulips and sunflowers.\n[gpt-4o-mini-2024-07-18] 13 tokens")
			.contains("Flower data fetched.")
			.contains("Thank-you note sent.")
			.contains("37 tokens in 3 requests, $0.0000");
		List<String> lines = output.getOut().lines().toList();
		assertThat(lines).isNotEmpty();
	}

}
