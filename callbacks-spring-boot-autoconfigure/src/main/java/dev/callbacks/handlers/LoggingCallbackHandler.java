package dev.callbacks.handlers;

import dev.callbacks.event.CallbackEvent;
import dev.callbacks.event.ChainErrorEvent;
import dev.callbacks.event.LlmErrorEvent;
import dev.callbacks.event.RetrieverErrorEvent;
import dev.callbacks.event.ToolErrorEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Logs events through SLF4J: starts and ends at DEBUG, except chain ends at INFO, errors
 * at WARN. Logger {@code dev.callbacks.handlers.LoggingCallbackHandler} unless another is
 * given. Prompt and completion text only when asked for.
 */
public class LoggingCallbackHandler extends EventLineHandler {

	private final Logger logger;

	/** Logs to this class's logger, without prompt or completion text. */
	public LoggingCallbackHandler() {
		this(LoggerFactory.getLogger(LoggingCallbackHandler.class), false);
	}

	/**
	 * Logs to {@code logger}.
	 * @param includeContent whether to log prompt and completion text (and tool input and
	 * output)
	 */
	public LoggingCallbackHandler(Logger logger, boolean includeContent) {
		super(includeContent);
		Assert.notNull(logger, "logger must not be null");
		this.logger = logger;
	}

	@Override
	void handle(CallbackEvent event) {
		if (event instanceof LlmErrorEvent || event instanceof ChainErrorEvent || event instanceof ToolErrorEvent
				|| event instanceof RetrieverErrorEvent) {
			if (this.logger.isWarnEnabled()) {
				this.logger.warn(this.formatter.describeWithRun(event));
			}
		}
		else if (event instanceof dev.callbacks.event.ChainEndEvent) {
			if (this.logger.isInfoEnabled()) {
				this.logger.info(this.formatter.describeWithRun(event));
			}
		}
		else if (this.logger.isDebugEnabled()) {
			this.logger.debug(this.formatter.describeWithRun(event));
		}
	}

}
