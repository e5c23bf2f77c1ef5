package dev.callbacks.demo.handlers;

import dev.callbacks.CallbackHandler;
import dev.callbacks.event.LlmNewTokenEvent;

/**
 * The lesson's synchronous handler: prints every streamed token as it arrives, one line
 * each. It runs on the thread that delivers the token, so it must be quick.
 */
public class TokenPrinterHandler implements CallbackHandler {

	@Override
	public void onLlmNewToken(LlmNewTokenEvent event) {
		// System.out looked up per call, not kept: whoever redirects it later (tests do)
		// still sees the lines.
		System.out.println("[flower data] token: \"" + escape(event.token()) + "\"");
	}

	private static String escape(String token) {
		return token.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r");
	}

}
