package dev.callbacks.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.callbacks.CallbackHandler;
import dev.callbacks.CallbackManager;
import dev.callbacks.RunCancelledException;
import dev.callbacks.event.ChainErrorEvent;
import dev.callbacks.event.ChainStartEvent;
import dev.callbacks.event.ToolErrorEvent;
import dev.callbacks.event.ToolStartEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream is cancelled while one of its tools is failing on its own thread (the cancel
 * interrupted it): the tool's error is being handed to the handlers when the chain is
 * cancelled. The chain's error must still come after it, as a parent's end follows its
 * children's.
 */
@Timeout(30)
class CancelWhileAChildEndsTests {

	@Test
	void theChainsErrorFollowsTheErrorOfAToolEndingOnAnotherThread() throws Exception {
		Recorder handler = new Recorder();
		ChainRun chain = RunFactory.of(CallbackManager.builder().handlers(List.of(handler)).build())
			.newChainRun(List.of(), null, null, true, new Object(), Map.of());
		chain.start(List.of()).block();
		ToolRun tool = chain.newToolRun("currentWeather", "{}");
		tool.start().block();

		// The tool's own thread ends it; its handler is still at work when the chain is
		// cancelled.
		Thread toolThread = new Thread(() -> tool.error(new IllegalStateException("interrupted")).block(),
				"tool-thread");
		toolThread.start();
		assertThat(handler.inToolError.await(10, TimeUnit.SECONDS)).isTrue();

		chain.cancel();
		assertThat(handler.kinds).as("nothing after the tool's error while it is delivered")
			.containsExactly("chain_start", "tool_start", "tool_error");

		handler.releaseToolError.countDown();
		toolThread.join(10_000);

		assertThat(handler.kinds).containsExactly("chain_start", "tool_start", "tool_error", "chain_error");
		assertThat(handler.chainError).isInstanceOf(RunCancelledException.class);
		assertThat(chain.isFinished()).isTrue();
	}

	@Test
	void withNoChildEndingElsewhereTheChainsErrorComesAtOnce() {
		Recorder handler = new Recorder();
		handler.releaseToolError.countDown();
		ChainRun chain = RunFactory.of(CallbackManager.builder().handlers(List.of(handler)).build())
			.newChainRun(List.of(), null, null, true, new Object(), Map.of());
		chain.start(List.of()).block();
		chain.newToolRun("currentWeather", "{}").start().block();

		chain.cancel();

		// The cancel ends the tool itself, then the chain.
		assertThat(handler.kinds).containsExactly("chain_start", "tool_start", "tool_error", "chain_error");
	}

	static final class Recorder implements CallbackHandler {

		final List<String> kinds = new CopyOnWriteArrayList<>();

		final CountDownLatch inToolError = new CountDownLatch(1);

		final CountDownLatch releaseToolError = new CountDownLatch(1);

		volatile Throwable chainError;

		@Override
		public void onChainStart(ChainStartEvent event) {
			this.kinds.add("chain_start");
		}

		@Override
		public void onToolStart(ToolStartEvent event) {
			this.kinds.add("tool_start");
		}

		@Override
		public void onToolError(ToolErrorEvent event) {
			this.kinds.add("tool_error");
			this.inToolError.countDown();
			try {
				this.releaseToolError.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		@Override
		public void onChainError(ChainErrorEvent event) {
			this.kinds.add("chain_error");
			this.chainError = event.error();
		}

	}

}
