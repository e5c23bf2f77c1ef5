package dev.callbacks.openai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.callbacks.event.CallbackEvent;
import dev.callbacks.event.ChainStartEvent;
import dev.callbacks.event.LlmNewTokenEvent;
import dev.callbacks.test.RecordingHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks what every run tree must satisfy, whatever its shape: one chain run at the root,
 * every other run its child, and per run a start first, tokens in index order, then
 * exactly one end or error, last.
 */
final class RunTreeAssertions {

	private static final Set<String> STARTS = Set.of("chain_start", "llm_start", "tool_start", "retriever_start");

	private static final Set<String> TERMINALS = Set.of("chain_end", "chain_error", "llm_end", "llm_error", "tool_end",
			"tool_error", "retriever_end", "retriever_error");

	private RunTreeAssertions() {
	}

	/** Asserts the invariants and returns the chain run's id. */
	static UUID assertWellFormed(RecordingHandler handler) {
		List<CallbackEvent> events = handler.events();
		ChainStartEvent chain = handler.single(ChainStartEvent.class);
		assertThat(chain.parentRunId()).as("the chain run is the root").isNull();
		assertThat(events.get(0)).as("the chain starts first").isSameAs(chain);
		Map<UUID, List<CallbackEvent>> byRun = new LinkedHashMap<>();
		for (CallbackEvent event : events) {
			byRun.computeIfAbsent(event.runId(), id -> new ArrayList<>()).add(event);
		}
		byRun.forEach((runId, runEvents) -> {
			List<String> kinds = runEvents.stream().map(RunTreeAssertions::kind).toList();
			assertThat(kinds.get(0)).as("first event of run %s: %s", runId, kinds).isIn(STARTS);
			assertThat(kinds.stream().filter(TERMINALS::contains).count())
				.as("end-or-error events of run %s: %s", runId, kinds)
				.isOne();
			assertThat(kinds.get(kinds.size() - 1)).as("last event of run %s: %s", runId, kinds).isIn(TERMINALS);
			List<Integer> indexes = runEvents.stream()
				.filter(LlmNewTokenEvent.class::isInstance)
				.map(event -> ((LlmNewTokenEvent) event).index())
				.toList();
			for (int i = 0; i < indexes.size(); i++) {
				assertThat(indexes.get(i)).as("token indexes of run %s: %s", runId, indexes).isEqualTo(i);
			}
			if (!runId.equals(chain.runId())) {
				assertThat(runEvents).as("parent of run %s", runId)
					.allSatisfy(event -> assertThat(event.parentRunId()).isEqualTo(chain.runId()));
			}
			else {
				assertThat(runEvents).allSatisfy(event -> assertThat(event.parentRunId()).isNull());
			}
		});
		assertThat(kind(events.get(events.size() - 1))).as("the chain ends last").isIn("chain_end", "chain_error");
		return chain.runId();
	}

	private static String kind(CallbackEvent event) {
		return KindProbe.kindOf(event);
	}

	// RecordingHandler.kind is protected: reach it through a subclass.
	private static final class KindProbe extends RecordingHandler {

		static String kindOf(CallbackEvent event) {
			return kind(event);
		}

	}

}
