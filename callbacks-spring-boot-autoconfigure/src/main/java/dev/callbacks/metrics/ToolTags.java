package dev.callbacks.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * The value of the {@code tool} tag, bounded: tool names come from the application's tool
 * definitions, yet an application that builds tools at run time (one per customer, per
 * document, ...) could otherwise make a new set of series with each. The first
 * {@code maxNames} distinct names are recorded as they are, later ones as {@code other}.
 * A name once recorded as itself stays so.
 */
public final class ToolTags {

	/** Default bound on distinct tool names: far more than an application defines. */
	public static final int DEFAULT_MAX_NAMES = 100;

	private static final Logger logger = LoggerFactory.getLogger(ToolTags.class);

	private final int maxNames;

	private final ConcurrentMap<String, String> admitted = new ConcurrentHashMap<>();

	// Guarded by "this".
	private boolean warned;

	/**
	 * @param maxNames distinct tool names recorded as they are; 0: all as {@code other}
	 */
	public ToolTags(int maxNames) {
		Assert.isTrue(maxNames >= 0, "maxNames must not be negative");
		this.maxNames = maxNames;
	}

	/** The bound {@link #DEFAULT_MAX_NAMES}. */
	public static ToolTags defaults() {
		return new ToolTags(DEFAULT_MAX_NAMES);
	}

	/** The {@code tool} tag value for a run of the tool named {@code toolName}. */
	public String tag(String toolName) {
		String tag = this.admitted.get(toolName);
		return (tag != null) ? tag : admit(toolName);
	}

	private synchronized String admit(String toolName) {
		if (this.admitted.containsKey(toolName)) {
			return toolName;
		}
		if (this.admitted.size() >= this.maxNames) {
			if (!this.warned) {
				this.warned = true;
				logger.warn("More than {} distinct tool names: further ones are recorded as tool=other.",
						this.maxNames);
			}
			return LlmMeters.OTHER;
		}
		this.admitted.put(toolName, toolName);
		return toolName;
	}

}
