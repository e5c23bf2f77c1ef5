package dev.callbacks.openai;

import java.time.Duration;

import dev.callbacks.Callbacks;
import dev.callbacks.UsageTracker;
import dev.callbacks.test.OpenAiMockServer;
import dev.callbacks.test.OpenAiMockServer.Reply;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.prompt.Prompt;

class ScratchTimingTests {

	@Test
	void timing() {
		OpenAiMockServer server = OpenAiMockServer.start();
		server.respondWith(r -> Reply.text("answer x").withUsage(5, 2));
		var model = server.chatModel();
		for (int round = 0; round < 3; round++) {
			long t = System.nanoTime();
			Flux.range(0, 100).flatMap(i -> model.stream(new Prompt("q" + i)).then(), 100).blockLast(Duration.ofSeconds(30));
			System.out.println("RAW model 100 streams ms=" + (System.nanoTime() - t) / 1_000_000);
			ChatClient plain = ChatClient.create(model);
			t = System.nanoTime();
			Flux.range(0, 100).flatMap(i -> plain.prompt("q" + i).stream().content().then(), 100).blockLast(Duration.ofSeconds(30));
			System.out.println("PLAIN client 100 streams ms=" + (System.nanoTime() - t) / 1_000_000);
			ChatClient cb = ChatClient.builder(model).defaultAdvisors(Callbacks.handlers()).build();
			try (UsageTracker u = UsageTracker.start()) {
				t = System.nanoTime();
				Flux.range(0, 100).flatMap(i -> cb.prompt("q" + i).stream().content().then(), 100).blockLast(Duration.ofSeconds(30));
				System.out.println("CALLBACKS client 100 streams ms=" + (System.nanoTime() - t) / 1_000_000 + " " + u);
			}
		}
		server.close();
	}

}
