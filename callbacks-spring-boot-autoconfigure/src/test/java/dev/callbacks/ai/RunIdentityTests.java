package dev.callbacks.ai;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.callbacks.CallbackManager;
import dev.callbacks.CallbackObserver;
import dev.callbacks.LlmRunRecord;
import dev.callbacks.event.LlmEndEvent;
import dev.callbacks.event.RunIdentity;
import dev.callbacks.test.RecordingHandler;
import dev.callbacks.test.ScriptedChatModel;
import dev.callbacks.test.ScriptedChatModel.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every run knows whom it was made for: the Spring Security principal (on the thread or
 * in the reactive context), the conversation of Spring AI's chat memory, and the tenant
 * from metadata; events and observers' records carry it, and the provider is named.
 */
class RunIdentityTests {

	private final ScriptedChatModel model = new ScriptedChatModel();

	private final RecordingHandler handler = new RecordingHandler();

	private final List<LlmRunRecord> records = new CopyOnWriteArrayList<>();

	private final ChatClient client = ChatClient.builder(ModelRoundInterceptor.traced(this.model))
		.defaultAdvisors(CallbackAdvisors.forTracedModel(
				CallbackManager.builder().handlers(List.of(this.handler)).observers(List.of(new CallbackObserver() {
					@Override
					public void onLlmRun(LlmRunRecord run) {
						RunIdentityTests.this.records.add(run);
					}
				})).build()))
		.build();

	@AfterEach
	void clearSecurity() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void blockingCallKnowsThePrincipalOnTheThreadAndTheConversation() {
		this.model.then(Reply.text("ok").usage(3, 1));
		SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken("alice", "pw", "USER"));

		this.client.prompt("x")
			.advisors((advisors) -> advisors.param(ChatMemory.CONVERSATION_ID, "c-7"))
			.advisors(dev.callbacks.Callbacks.handlers().metadata(RunIdentity.TENANT, "acme"))
			.call()
			.content();

		RunIdentity expected = new RunIdentity("alice", "acme", "c-7");
		assertThat(this.handler.single(LlmEndEvent.class).identity()).isEqualTo(expected);
		assertThat(this.records).singleElement().satisfies((record) -> {
			assertThat(record.identity()).isEqualTo(expected);
			assertThat(record.provider()).isEqualTo(LlmRunRecord.UNKNOWN_PROVIDER);
		});
	}

	@Test
	void trackersBreakUsageDownByUserTenantAndConversation() {
		this.model.respondWith((prompt) -> Reply.text("ok").usage(3, 1));

		try (dev.callbacks.UsageTracker usage = dev.callbacks.UsageTracker.start()) {
			for (String user : List.of("alice", "bob", "alice")) {
				this.client.prompt("x")
					.advisors((advisors) -> advisors.param(ChatMemory.CONVERSATION_ID, "c-" + user))
					.advisors(dev.callbacks.Callbacks.handlers()
						.metadata(RunIdentity.USER, user)
						.metadata(RunIdentity.TENANT, "acme"))
					.call()
					.content();
			}
			this.client.prompt("anonymous").call().content();

			assertThat(usage.byUser()).containsExactly(
					org.assertj.core.api.Assertions.entry("alice", dev.callbacks.usage.TokenUsage.of(6, 2)),
					org.assertj.core.api.Assertions.entry("bob", dev.callbacks.usage.TokenUsage.of(3, 1)));
			assertThat(usage.byTenant()).containsOnlyKeys("acme");
			assertThat(usage.byTenant().get("acme").totalTokens()).isEqualTo(12);
			assertThat(usage.byConversation()).containsOnlyKeys("c-alice", "c-bob");
			assertThat(usage.totalTokens()).as("the anonymous run counts in the totals").isEqualTo(16);
		}
	}

	@Test
	void streamKnowsThePrincipalOfTheReactiveContext() {
		this.model.then(Reply.tokens("a", "b").usage(3, 2));

		this.client.prompt("x")
			.stream()
			.content()
			.contextWrite(ReactiveSecurityContextHolder
				.withAuthentication(new TestingAuthenticationToken("bob", "pw", "USER")))
			.blockLast(Duration.ofSeconds(10));

		assertThat(this.handler.single(LlmEndEvent.class).identity()).isEqualTo(new RunIdentity("bob", null, null));
		assertThat(this.records).singleElement()
			.satisfies((record) -> assertThat(record.identity().user()).isEqualTo("bob"));
	}

	@Test
	void levelMetadataOverridesWhatTheCallSays() {
		this.model.then(Reply.text("ok").usage(3, 1));
		SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken("alice", "pw", "USER"));

		this.client.prompt("x")
			.advisors(dev.callbacks.Callbacks.handlers().metadata(RunIdentity.USER, "service-account"))
			.call()
			.content();

		assertThat(this.records).singleElement()
			.satisfies((record) -> assertThat(record.identity().user()).isEqualTo("service-account"));
	}

	@Test
	void nobodyKnownWithoutPrincipalOrConversation() {
		this.model.then(Reply.text("ok").usage(3, 1));

		this.client.prompt("x").call().content();

		assertThat(this.records).singleElement()
			.satisfies((record) -> assertThat(record.identity()).isEqualTo(RunIdentity.NONE));
	}

}
