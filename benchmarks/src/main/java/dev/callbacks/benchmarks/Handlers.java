package dev.callbacks.benchmarks;

import dev.callbacks.CallbackHandler;
import dev.callbacks.event.ChainEndEvent;
import dev.callbacks.event.ChainStartEvent;
import dev.callbacks.event.ChatModelStartEvent;
import dev.callbacks.event.LlmEndEvent;
import dev.callbacks.event.LlmNewTokenEvent;

/**
 * Three distinct synchronous handlers doing minimal, realistic work (counting into
 * fields), so that dispatch cost is measured rather than handler cost. Distinct classes
 * keep the handler call sites polymorphic, as in an application with several handlers;
 * all three listen to tokens. Fields are plain: a JMH thread owns its handlers.
 */
final class Handlers {

	private Handlers() {
	}

	/** Counts tokens, like a progress indicator. */
	static final class TokenCounter implements CallbackHandler {

		long tokens;

		@Override
		public void onLlmNewToken(LlmNewTokenEvent event) {
			this.tokens++;
		}

	}

	/** Sums streamed characters and the reported usage, like a cost dashboard. */
	static final class UsageSummer implements CallbackHandler {

		long characters;

		long totalTokens;

		@Override
		public void onLlmNewToken(LlmNewTokenEvent event) {
			this.characters += event.token().length();
		}

		@Override
		public void onLlmEnd(LlmEndEvent event) {
			this.totalTokens += event.usage().totalTokens();
		}

	}

	/** Counts every event kind it sees, like an audit log without the I/O. */
	static final class EventCounter implements CallbackHandler {

		long chainStarts;

		long chainEnds;

		long llmStarts;

		long tokens;

		long lastIndex;

		long llmEnds;

		@Override
		public void onChainStart(ChainStartEvent event) {
			this.chainStarts++;
		}

		@Override
		public void onChainEnd(ChainEndEvent event) {
			this.chainEnds++;
		}

		@Override
		public void onChatModelStart(ChatModelStartEvent event) {
			this.llmStarts++;
		}

		@Override
		public void onLlmNewToken(LlmNewTokenEvent event) {
			this.tokens++;
			this.lastIndex = event.index();
		}

		@Override
		public void onLlmEnd(LlmEndEvent event) {
			this.llmEnds++;
		}

	}

}
