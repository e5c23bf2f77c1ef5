package dev.callbacks.ai;

import java.util.Map;

import dev.callbacks.event.RunIdentity;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.util.ClassUtils;

/**
 * Whom a {@code ChatClient} call is made for, as far as the call itself says: its
 * conversation (Spring AI's {@link ChatMemory#CONVERSATION_ID} advisor parameter) and its
 * user (the Spring Security principal's name, on the thread or, for reactive
 * applications, in the subscriber's context, when Spring Security is on the class path).
 * They become run metadata under {@link RunIdentity}'s keys, beneath what the levels set.
 */
final class Identities {

	private static final boolean SECURITY_PRESENT = ClassUtils.isPresent(
			"org.springframework.security.core.context.SecurityContextHolder", Identities.class.getClassLoader());

	private Identities() {
	}

	/** The identity metadata of a blocking call. */
	static Map<String, Object> of(ChatClientRequest request) {
		String user = SECURITY_PRESENT ? Security.userOnThread() : null;
		return metadata(user, conversationOf(request));
	}

	/**
	 * Whether the user must be looked up in the subscriber's context (a reactive Spring
	 * Security context is there), which needs a subscription of its own.
	 */
	static boolean inReactiveContext(ContextView reactorContext) {
		return SECURITY_PRESENT && Security.hasReactiveContext(reactorContext);
	}

	/**
	 * The identity metadata of a stream: the user is looked up in the subscriber's
	 * context too, which needs a subscription of its own.
	 */
	static Mono<Map<String, Object>> of(ChatClientRequest request, ContextView reactorContext) {
		String conversation = conversationOf(request);
		if (SECURITY_PRESENT) {
			String onThread = Security.userOnThread();
			if (onThread == null && Security.hasReactiveContext(reactorContext)) {
				return Security.reactiveUser()
					.map((user) -> metadata(user, conversation))
					.defaultIfEmpty(metadata(null, conversation));
			}
			return Mono.just(metadata(onThread, conversation));
		}
		return Mono.just(metadata(null, conversation));
	}

	private static @Nullable String conversationOf(ChatClientRequest request) {
		Object id = request.context().get(ChatMemory.CONVERSATION_ID);
		return (id != null) ? id.toString() : null;
	}

	private static Map<String, Object> metadata(@Nullable String user, @Nullable String conversation) {
		if (user == null) {
			return (conversation != null) ? Map.of(RunIdentity.CONVERSATION, conversation) : Map.of();
		}
		return (conversation != null) ? Map.of(RunIdentity.USER, user, RunIdentity.CONVERSATION, conversation)
				: Map.of(RunIdentity.USER, user);
	}

	// Loaded only when Spring Security is on the class path.
	private static final class Security {

		static @Nullable String userOnThread() {
			org.springframework.security.core.Authentication authentication = org.springframework.security.core.context.SecurityContextHolder
				.getContext()
				.getAuthentication();
			return nameOf(authentication);
		}

		static boolean hasReactiveContext(ContextView reactorContext) {
			return reactorContext.hasKey(org.springframework.security.core.context.SecurityContext.class);
		}

		static Mono<String> reactiveUser() {
			return org.springframework.security.core.context.ReactiveSecurityContextHolder.getContext()
				.mapNotNull((context) -> nameOf(context.getAuthentication()));
		}

		private static @Nullable String nameOf(
				org.springframework.security.core.@Nullable Authentication authentication) {
			if (authentication == null || !authentication.isAuthenticated()
					|| authentication instanceof org.springframework.security.authentication.AnonymousAuthenticationToken) {
				return null;
			}
			return authentication.getName();
		}

	}

}
