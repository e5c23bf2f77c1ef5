package dev.callbacks.demo.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.callbacks.demo.OfflineShopTest;
import dev.callbacks.demo.model.FlowerCatalogChatModel;
import dev.callbacks.demo.usage.TokenCounts;
import dev.callbacks.handlers.StdOutCallbackHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/chat} and {@code GET /api/chat/stream}, end to end with the offline
 * model.
 */
@OfflineShopTest
@ExtendWith(OutputCaptureExtension.class)
class ChatApiTests {

	private static final JsonMapper json = JsonMapper.shared();

	@Autowired
	private WebTestClient client;

	@Autowired
	private ApplicationContext context;

	@Test
	void chatAnswersWithThisRequestsUsage() {
		EntityExchangeResult<ChatReply> result = chat("Which flowers suit a birthday? Name three, under 50 words",
				null);
		ChatReply reply = result.getResponseBody();

		assertThat(reply).isNotNull();
		assertThat(reply.reply()).startsWith("For a birthday, I'd suggest roses");
		assertThat(reply.model()).isEqualTo(FlowerCatalogChatModel.MODEL);
		assertThat(reply.conversationId()).isNotBlank();
		TokenCounts usage = reply.usage();
		assertThat(usage.promptTokens()).isPositive();
		assertThat(usage.completionTokens()).isPositive();
		assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());
		assertThat(usage.llmCalls()).isOne();
		// Priced in application.properties at 0.15 / 0.60 USD per million tokens.
		assertThat(usage.cost()).isPositive();
		// The tracker the controller read is the request's own: the header the starter
		// writes agrees.
		UsageHeader.parse(result.getResponseHeaders().getFirst("LLM-Usage")).assertMatches(usage);
	}

	@Test
	void chatRemembersItsConversation() {
		String conversationId = "remember-" + UUID.randomUUID();
		chat("My sister's birthday is tomorrow and I need a birthday bouquet.", conversationId);

		ChatReply remembered = chat("Do you remember why I came?", conversationId).getResponseBody();
		ChatReply stranger = chat("Do you remember why I came?", null).getResponseBody();

		assertThat(remembered.conversationId()).isEqualTo(conversationId);
		assertThat(remembered.reply()).contains("birthday bouquet for your sister");
		assertThat(stranger.reply()).contains("can't remember");
		// The second turn sends the first one along.
		assertThat(remembered.usage().promptTokens()).isGreaterThan(stranger.usage().promptTokens());
	}

	@Test
	void aToolCallTakesTwoModelCalls() {
		ChatReply reply = chat("Do you have roses in stock?", null).getResponseBody();

		assertThat(reply.reply()).isEqualTo("Good news: we have 120 roses in stock.");
		assertThat(reply.usage().llmCalls()).isEqualTo(2);
	}

	@Test
	void chatNeedsAMessage() {
		this.client.post()
			.uri("/api/chat")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("message", " "))
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

	@Test
	void streamSendsTokensThenTheUsage() {
		String question = "Which flowers suit an anniversary?";
		String expected = chat(question, null).getResponseBody().reply();

		List<ServerSentEvent<String>> events = stream(question);

		List<ServerSentEvent<String>> tokens = events.subList(0, events.size() - 1);
		assertThat(tokens).isNotEmpty().allSatisfy((event) -> assertThat(event.event()).isEqualTo("token"));
		StringBuilder answer = new StringBuilder();
		tokens.forEach((event) -> answer.append(read(event.data(), StreamEvents.Token.class).text()));
		assertThat(answer).hasToString(expected);

		ServerSentEvent<String> last = events.get(events.size() - 1);
		assertThat(last.event()).isEqualTo("usage");
		StreamEvents.Usage usage = read(last.data(), StreamEvents.Usage.class);
		assertThat(usage.model()).isEqualTo(FlowerCatalogChatModel.MODEL);
		// The offline model streams one token per chunk, and reports the usage in a last
		// chunk.
		assertThat(usage.request().completionTokens()).isEqualTo(tokens.size());
		assertThat(usage.request().totalTokens())
			.isEqualTo(usage.request().promptTokens() + usage.request().completionTokens());
		assertThat(usage.request().llmCalls()).isOne();
		assertThat(usage.totals().totalTokens()).isGreaterThanOrEqualTo(usage.request().totalTokens());
		assertThat(usage.totals().llmCalls()).isGreaterThanOrEqualTo(2);
	}

	@Test
	void infoSaysTheOfflineModelAnswers() {
		ModelInfo info = this.client.get()
			.uri("/api/info")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(ModelInfo.class)
			.returnResult()
			.getResponseBody();

		assertThat(info.model()).isEqualTo(FlowerCatalogChatModel.MODEL);
		assertThat(info.offline()).isTrue();
		assertThat(info.description()).contains("not an LLM");
	}

	@Test
	void streamNeedsAMessage() {
		this.client.get().uri("/api/chat/stream").exchange().expectStatus().isBadRequest();
	}

	@Test
	void theLessonsHandlersPrintAndTheFileHandlerWrites(CapturedOutput output) throws Exception {
		stream("Do you have tulips in stock?");

		// The sync handler prints each token, the async one its two steps before and
		// after each model call.
		assertThat(output).contains("[flower data] token: \"Good\"", "[flower data] token: \" tul");
		assertThat(output).contains("] Fetching flower data...", "] Flower data fetched. Preparing suggestions...",
				"] Tidying up the flower suggestions...", "] Thank-you note sent. Have a lovely day!");
		// callbacks.verbose=true and callbacks.file.path: the built-in stdout and file
		// handlers.
		assertThat(this.context.getBeansOfType(StdOutCallbackHandler.class)).hasSize(1);
		assertThat(Files.readString(Path.of(OfflineShopTest.OUTPUT_LOG))).contains("chain_start name=flower_shop",
				"llm_start model=flower-catalog-1", "tool_start tool=checkStock", "llm_end model=flower-catalog-1",
				"chain_end tokens=");
	}

	private EntityExchangeResult<ChatReply> chat(String message, String conversationId) {
		return this.client.post()
			.uri("/api/chat")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(new ChatRequest(message, conversationId))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(ChatReply.class)
			.returnResult();
	}

	private List<ServerSentEvent<String>> stream(String message) {
		return this.client.get()
			.uri((uri) -> uri.path("/api/chat/stream").queryParam("message", message).build())
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			})
			.getResponseBody()
			.collectList()
			.block(Duration.ofSeconds(30));
	}

	private static <T> T read(String data, Class<T> type) {
		return json.readValue(data, type);
	}

}
