package dev.callbacks.handlers;

import java.io.PrintStream;

import dev.callbacks.event.CallbackEvent;
import dev.callbacks.event.ChainEndEvent;
import dev.callbacks.event.ChainStartEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Prints what happens to standard output, as LangChain's {@code verbose=True} does:
 * entering and finishing each chain, each model round with its tokens, each tool and
 * retrieval. {@code callbacks.verbose=true} adds it to every {@code ChatClient}.
 *
 * <pre>
 * &gt; Entering new chat_client chain...
 *   llm_start model=gpt-4o-mini messages=1
 *   llm_end model=gpt-4o-mini-2024-07-18 tokens=12+40=52
 * &gt; Finished chain. tokens=12+40=52
 * </pre>
 */
public class StdOutCallbackHandler extends EventLineHandler {

	// Null: whatever System.out is when printing (it may be replaced after start-up, as
	// LangChain's print sees).
	private final @Nullable PrintStream out;

	/** Prints to {@code System.out} without prompt or completion text. */
	public StdOutCallbackHandler() {
		this(false);
	}

	/**
	 * Prints to {@code System.out} as it is at each event.
	 * @param includeContent whether to print prompt and completion text (and tool input
	 * and output)
	 */
	public StdOutCallbackHandler(boolean includeContent) {
		super(includeContent);
		this.out = null;
	}

	/**
	 * Prints to {@code out}.
	 * @param includeContent whether to print prompt and completion text (and tool input
	 * and output)
	 */
	public StdOutCallbackHandler(PrintStream out, boolean includeContent) {
		super(includeContent);
		Assert.notNull(out, "out must not be null");
		this.out = out;
	}

	@Override
	void handle(CallbackEvent event) {
		String line;
		if (event instanceof ChainStartEvent) {
			line = "> Entering new " + EventFormatter.singleLine(event.name()) + " chain..." + rest(event);
		}
		else if (event instanceof ChainEndEvent) {
			line = "> Finished chain." + rest(event);
		}
		else {
			line = "  " + this.formatter.describe(event);
		}
		((this.out != null) ? this.out : System.out).println(line);
	}

	private String rest(CallbackEvent event) {
		String description = this.formatter.describe(event);
		int space = description.indexOf(' ');
		return (space < 0) ? "" : description.substring(space);
	}

}
