package dev.callbacks.autoconfigure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.callbacks.CallbackHandler;
import dev.callbacks.Callbacks;
import dev.callbacks.event.ChainStartEvent;
import dev.callbacks.event.ChatModelStartEvent;
import dev.callbacks.event.LlmEndEvent;
import dev.callbacks.test.RecordingHandler;
import dev.callbacks.test.ScriptedChatModel;
import dev.callbacks.test.ScriptedChatModel.Reply;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Global, client and request handlers each see exactly the requests they should, once.
 */
class HandlerRegistrationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CallbacksAutoConfiguration.class,
				org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration.class,
				org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration.class))
		.withUserConfiguration(Clients.class);

	@Test
	void globalHandlerSeesEveryClientExactlyOnce() {
		this.contextRunner.run(context -> {
			ScriptedChatModel model = context.getBean(ScriptedChatModel.class);
			model.respondWith(prompt -> Reply.text("ok").usage(3, 1));
			RecordingHandler global = context.getBean("global", RecordingHandler.class);

			context.getBean("fromBuilder", ChatClient.class).prompt("one").call().content();
			context.getBean("handBuilt", ChatClient.class).prompt("two").call().content();
			context.getBean("handBuiltWithClientHandler", ChatClient.class).prompt("three").call().content();
			context.getBean("fromBuilder", ChatClient.class).prompt("four").stream().content().blockLast();

			assertThat(global.events(ChainStartEvent.class)).hasSize(4)
				.extracting(e -> e.inputs().get("input"))
				.containsExactly("one", "two", "three", "four");
			assertThat(global.events(ChatModelStartEvent.class)).hasSize(4);
			assertThat(global.events(LlmEndEvent.class)).hasSize(4);
		});
	}

	@Test
	void clientHandlerSeesOnlyItsClientAndRequestHandlerOnlyItsRequest() {
		this.contextRunner.run(context -> {
			ScriptedChatModel model = context.getBean(ScriptedChatModel.class);
			model.respondWith(prompt -> Reply.text("ok").usage(3, 1));
			RecordingHandler clientHandler = context.getBean(RecordingHandlerHolder.class).handler();
			RecordingHandler requestHandler = new RecordingHandler();
			ChatClient withClientHandler = context.getBean("handBuiltWithClientHandler", ChatClient.class);
			ChatClient other = context.getBean("fromBuilder", ChatClient.class);

			withClientHandler.prompt("a").call().content();
			other.prompt("b").call().content();
			other.prompt("c").advisors(Callbacks.handlers(requestHandler)).call().content();
			other.prompt("d").call().content();
			withClientHandler.prompt("e").advisors(Callbacks.handlers(requestHandler)).stream().content().blockLast();

			assertThat(clientHandler.events(ChainStartEvent.class)).extracting(e -> e.inputs().get("input"))
				.containsExactly("a", "e");
			assertThat(requestHandler.events(ChainStartEvent.class)).extracting(e -> e.inputs().get("input"))
				.containsExactly("c", "e");
		});
	}

	@Test
	void deliveryOrderIsGlobalThenClientThenRequestAndByOrderWithinALevel() {
		this.contextRunner.withUserConfiguration(OrderedGlobals.class).run(context -> {
			ScriptedChatModel model = context.getBean(ScriptedChatModel.class);
			model.respondWith(prompt -> Reply.text("ok").usage(3, 1));
			List<String> order = context.getBean("order", List.class);
			ChatClient client = context.getBean("fromBuilder", ChatClient.class)
				.mutate()
				.defaultAdvisors(
						Callbacks.handlers(new Named("client-second", order, 2), new Named("client-first", order, 1)))
				.build();

			client.prompt("x").advisors(Callbacks.handlers(new Named("request", order, 0))).call().content();

			assertThat(order).containsExactly("global-first", "global-second", "client-first", "client-second",
					"request");
		});
	}

	@Test
	void tagsAndMetadataOfOuterLevelsAreInheritedByInnerRuns() {
		this.contextRunner.run(context -> {
			ScriptedChatModel model = context.getBean(ScriptedChatModel.class);
			model.respondWith(prompt -> Reply.text("ok").usage(3, 1));
			RecordingHandler handler = new RecordingHandler();
			ChatClient client = context.getBean("fromBuilder", ChatClient.class)
				.mutate()
				.defaultAdvisors(Callbacks.handlers(handler)
					.tags("shop")
					.metadata("tenant", "acme")
					.metadata("tier", "free")
					.name("florist"))
				.build();

			client.prompt("x")
				.advisors(Callbacks.handlers().tags("birthday").metadata("tier", "gold"))
				.call()
				.content();

			assertThat(handler.events()).isNotEmpty().allSatisfy(event -> {
				assertThat(event.tags()).containsExactly("shop", "birthday");
				assertThat(event.metadata()).containsEntry("tenant", "acme").containsEntry("tier", "gold");
			});
			assertThat(handler.single(ChainStartEvent.class).name()).isEqualTo("florist");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Clients {

		@Bean
		ScriptedChatModel chatModel() {
			return new ScriptedChatModel();
		}

		@Bean
		RecordingHandler global() {
			return new RecordingHandler();
		}

		@Bean
		ChatClient fromBuilder(ChatClient.Builder builder) {
			return builder.build();
		}

		@Bean
		ChatClient handBuilt(ChatModel chatModel) {
			return ChatClient.create(chatModel);
		}

		// Not a handler bean: a client-level handler, so not global.
		@Bean
		RecordingHandlerHolder clientHandlerHolder() {
			return new RecordingHandlerHolder(new RecordingHandler());
		}

		@Bean
		ChatClient handBuiltWithClientHandler(ChatModel chatModel, RecordingHandlerHolder holder) {
			return ChatClient.builder(chatModel).defaultAdvisors(Callbacks.handlers(holder.handler())).build();
		}

	}

	record RecordingHandlerHolder(RecordingHandler handler) {
	}

	@Configuration(proxyBeanMethods = false)
	static class OrderedGlobals {

		@Bean
		List<String> order() {
			return Collections.synchronizedList(new ArrayList<>());
		}

		@Bean
		@Order(2)
		CallbackHandler globalSecond(@Qualifier("order") List<String> order) {
			return new Named("global-second", order, 2);
		}

		@Bean
		@Order(1)
		CallbackHandler globalFirst(@Qualifier("order") List<String> order) {
			return new Named("global-first", order, 1);
		}

	}

	@Order
	static final class Named implements CallbackHandler, org.springframework.core.Ordered {

		private final String name;

		private final List<String> order;

		private final int rank;

		Named(String name, List<String> order, int rank) {
			this.name = name;
			this.order = order;
			this.rank = rank;
		}

		@Override
		public void onChainStart(ChainStartEvent event) {
			this.order.add(this.name);
		}

		@Override
		public int getOrder() {
			return this.rank;
		}

	}

}
