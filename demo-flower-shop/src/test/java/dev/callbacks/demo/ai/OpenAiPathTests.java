package dev.callbacks.demo.ai;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.callbacks.demo.model.FlowerCatalogChatModel;
import dev.callbacks.demo.usage.TokenCounts;
import dev.callbacks.demo.web.ChatReply;
import dev.callbacks.demo.web.ChatRequest;
import dev.callbacks.demo.web.ConcurrentReport;
import dev.callbacks.demo.web.ModelInfo;
import dev.callbacks.demo.web.StreamEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo with an OpenAI key: Spring AI's real OpenAI client (and the OpenAI SDK under
 * it) talking to a local server that speaks the OpenAI wire format. The key alone selects
 * OpenAI ({@link ChatModelSelection}); the base URL points the client at the local
 * server.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.openai.api-key=test", "spring.ai.openai.max-retries=0",
				"flower-shop.async-handler-delay=0ms", "callbacks.file.path=target/test-output-openai.log",
				"spring.datasource.url=jdbc:h2:mem:flower-shop-ledger-openai;DB_CLOSE_DELAY=-1" })
// The first chat of the context loads the tokenizer (the shop's budget counts each
// prompt before the round), which on a busy machine takes longer than the default 5 s.
@AutoConfigureWebTestClient(timeout = "30s")
class OpenAiPathTests {

	private static final OpenAiProtocolServer server = OpenAiProtocolServer.start();

	private static final JsonMapper json = JsonMapper.shared();

	@Autowired
	private WebTestClient client;

	@Autowired
	private ApplicationContext context;

	@DynamicPropertySource
	static void openAiServer(DynamicPropertyRegistry registry) {
		registry.add("spring.ai.openai.base-url", server::baseUrl);
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void anApiKeySelectsSpringAisOpenAiClient() {
		assertThat(this.context.getBean(ChatModel.class)).isInstanceOf(OpenAiChatModel.class);
		assertThat(this.context.getBeansOfType(FlowerCatalogChatModel.class)).isEmpty();

		ModelInfo info = this.client.get()
			.uri("/api/info")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(ModelInfo.class)
			.returnResult()
			.getResponseBody();
		assertThat(info.offline()).isFalse();
		assertThat(info.model()).isEqualTo("gpt-4o-mini");
	}

	@Test
	void chatGoesThroughTheOpenAiClient() {
		int before = server.requests().size();

		ChatReply reply = this.client.post()
			.uri("/api/chat")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(new ChatRequest("Which flowers suit a birthday?", null))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("LLM-Usage", "prompt=42, completion=11, total=53, cost=0.0000129")
			.expectBody(ChatReply.class)
			.returnResult()
			.getResponseBody();

		assertThat(reply.reply()).isEqualTo(OpenAiProtocolServer.ANSWER);
		assertThat(reply.model()).isEqualTo(OpenAiProtocolServer.RESPONSE_MODEL);
		// Exactly what the server reported; priced from the starter's table (gpt-4o-mini:
		// 0.15 / 0.60 per 1M).
		assertThat(reply.usage()).isEqualTo(new TokenCounts(42, 11, 53, 1, new BigDecimal("0.0000129")));

		List<OpenAiProtocolServer.RecordedCompletion> requests = server.requests();
		assertThat(requests).hasSize(before + 1);
		OpenAiProtocolServer.RecordedCompletion request = requests.get(before);
		assertThat(request.stream()).isFalse();
		assertThat(request.model()).isEqualTo("gpt-4o-mini");
		assertThat(request.authorization()).isEqualTo("Bearer test");
		assertThat(request.systemPrompt()).isEqualTo(FlowerShopAiConfiguration.SYSTEM_PROMPT);
		assertThat(request.toolNames()).containsExactlyInAnyOrder("checkStock", "quotePrice");
	}

	@Test
	void streamTakesTheUsageFromTheLastChunk() {
		int before = server.requests().size();

		List<ServerSentEvent<String>> events = this.client.get()
			.uri("/api/chat/stream?message={message}", "Which flowers suit a birthday?")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			})
			.getResponseBody()
			.collectList()
			.block(Duration.ofSeconds(30));

		List<String> tokens = events.stream()
			.filter((event) -> "token".equals(event.event()))
			.map((event) -> json.readValue(event.data(), StreamEvents.Token.class).text())
			.toList();
		assertThat(tokens).isEqualTo(OpenAiProtocolServer.words());
		ServerSentEvent<String> last = events.get(events.size() - 1);
		assertThat(last.event()).isEqualTo("usage");
		StreamEvents.Usage usage = json.readValue(last.data(), StreamEvents.Usage.class);
		// From the usage-only chunk, not estimated with a tokenizer.
		assertThat(usage.request()).isEqualTo(new TokenCounts(42, 11, 53, 1, new BigDecimal("0.0000129")));
		assertThat(usage.model()).isEqualTo(OpenAiProtocolServer.RESPONSE_MODEL);
		OpenAiProtocolServer.RecordedCompletion request = server.requests().get(before);
		assertThat(request.stream()).isTrue();
		assertThat(request.includeUsage()).isTrue();
	}

	@Test
	void concurrentRequestsAddUp() {
		ConcurrentReport report = this.client.post()
			.uri("/api/concurrent?n=3")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(ConcurrentReport.class)
			.returnResult()
			.getResponseBody();

		TokenCounts each = new TokenCounts(42, 11, 53, 1, new BigDecimal("0.0000129"));
		assertThat(report.parts()).hasSize(3).allSatisfy((part) -> assertThat(part.usage()).isEqualTo(each));
		assertThat(report.total()).isEqualTo(new TokenCounts(3 * 42, 3 * 11, 3 * 53, 3, new BigDecimal("0.0000387")));
	}

	@Test
	void metersNameTheModelThatAnsweredNextToSpringAisOwn() {
		this.client.post()
			.uri("/api/chat")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(new ChatRequest("Hello", null))
			.exchange()
			.expectStatus()
			.isOk();

		Map<String, Object> metric = this.client.get()
			.uri("/actuator/metrics/llm.tokens?tag=client:flower_shop")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.returnResult()
			.getResponseBody();
		assertThat(metric.toString()).contains(OpenAiProtocolServer.RESPONSE_MODEL);
		// Next to Spring AI's own meters.
		this.client.get()
			.uri("/actuator/metrics")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.names")
			.value((names) -> assertThat(names.toString()).contains("gen_ai.client.token.usage", "llm.tokens"));
	}

}
