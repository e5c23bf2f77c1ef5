package dev.callbacks.event;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Whom a run was made for: the user, the tenant and the conversation, where known. They
 * travel as run metadata under {@link #USER}, {@link #TENANT} and {@link #CONVERSATION}
 * (set them with {@code Callbacks.handlers().metadata(…)}, or let the integrations fill
 * them in), so every event of the run tree carries them.
 *
 * @param user the user's name (for example the Spring Security principal's)
 * @param tenant the tenant
 * @param conversation the conversation id (Spring AI's
 * {@code ChatMemory.CONVERSATION_ID})
 */
public record RunIdentity(@Nullable String user, @Nullable String tenant, @Nullable String conversation) {

	/** Metadata key of the user. */
	public static final String USER = "user";

	/** Metadata key of the tenant. */
	public static final String TENANT = "tenant";

	/** Metadata key of the conversation. */
	public static final String CONVERSATION = "conversation";

	/** Nobody known. */
	public static final RunIdentity NONE = new RunIdentity(null, null, null);

	/** The identity a run's metadata carries. */
	public static RunIdentity of(Map<String, ?> metadata) {
		String user = text(metadata.get(USER));
		String tenant = text(metadata.get(TENANT));
		String conversation = text(metadata.get(CONVERSATION));
		return (user == null && tenant == null && conversation == null) ? NONE
				: new RunIdentity(user, tenant, conversation);
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value != null) ? value.toString() : null;
	}

}
