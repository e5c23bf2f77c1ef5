package dev.callbacks.demo.memory;

import java.util.Arrays;
import java.util.Locale;

/**
 * The kinds of chat memory the experiment compares, after LangChain's.
 */
public enum MemoryKind {

	/**
	 * Every earlier message goes with each new one (LangChain's
	 * ConversationBufferMemory).
	 */
	BUFFER("Buffer memory: the whole conversation is sent with every message."),

	/**
	 * Only the last messages go with each new one (LangChain's
	 * ConversationBufferWindowMemory).
	 */
	WINDOW("Window memory: only the last exchange is sent with every message."),

	/**
	 * A running summary goes with each new one, updated by an extra model call per turn
	 * (ConversationSummaryMemory).
	 */
	SUMMARY("Summary memory: a running summary is sent with every message; an extra model call per turn updates it.");

	private final String description;

	MemoryKind(String description) {
		this.description = description;
	}

	/**
	 * The name used in URLs and JSON: {@code buffer}, {@code window}, {@code summary}.
	 */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** One sentence on what the memory sends to the model. */
	public String description() {
		return this.description;
	}

	/**
	 * The kind named {@code id}, ignoring case.
	 * @throws IllegalArgumentException for an unknown name
	 */
	public static MemoryKind of(String id) {
		return Arrays.stream(values())
			.filter((kind) -> kind.id().equalsIgnoreCase(id.trim()))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException(
					"Unknown memory '" + id + "': use one of " + Arrays.stream(values()).map(MemoryKind::id).toList()));
	}

}
