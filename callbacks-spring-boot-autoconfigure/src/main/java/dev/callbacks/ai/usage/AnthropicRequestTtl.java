package dev.callbacks.ai.usage;

import java.util.EnumSet;
import java.util.Set;

import org.springframework.ai.anthropic.AnthropicCacheOptions;
import org.springframework.ai.anthropic.AnthropicCacheTtl;
import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.chat.messages.MessageType;
import org.springframework.ai.chat.prompt.ChatOptions;

/**
 * The cache time to live an Anthropic request asked for, for streams, whose
 * {@code message_delta} usage does not split cache writes by it. Spring AI 2.0.1 places
 * breakpoints by the cache strategy: on the system message for {@code SYSTEM_ONLY}, on
 * the last tool definition (with the system message's time to live) for
 * {@code TOOLS_ONLY} and {@code SYSTEM_AND_TOOLS}, and on messages of every type for
 * {@code CONVERSATION_HISTORY}. Only when all those breakpoints use the one-hour time to
 * live are all writes one-hour writes; with mixed times to live the split is unknown and
 * the writes count as five-minute writes.
 * <p>
 * Loaded only when Spring AI's Anthropic module is on the class path.
 */
final class AnthropicRequestTtl {

	private AnthropicRequestTtl() {
	}

	static boolean writesAreOneHour(ChatOptions options) {
		if (!(options instanceof AnthropicChatOptions anthropic)) {
			return false;
		}
		AnthropicCacheOptions cache = anthropic.getCacheOptions();
		if (cache == null) {
			return false;
		}
		Set<MessageType> types = switch (cache.getStrategy()) {
			case SYSTEM_ONLY, TOOLS_ONLY, SYSTEM_AND_TOOLS -> EnumSet.of(MessageType.SYSTEM);
			case CONVERSATION_HISTORY -> EnumSet.allOf(MessageType.class);
			// NONE, and strategies of later versions this class does not know.
			default -> EnumSet.noneOf(MessageType.class);
		};
		if (types.isEmpty()) {
			return false;
		}
		for (MessageType type : types) {
			if (cache.getMessageTypeTtl().get(type) != AnthropicCacheTtl.ONE_HOUR) {
				return false;
			}
		}
		return true;
	}

}
