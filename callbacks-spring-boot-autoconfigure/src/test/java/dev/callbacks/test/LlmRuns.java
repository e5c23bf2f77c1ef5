package dev.callbacks.test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.callbacks.LlmRunRecord;
import dev.callbacks.event.RunIdentity;
import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;

/** Hand-made LLM run records. */
public final class LlmRuns {

	private LlmRuns() {
	}

	public static LlmRunRecord run() {
		return run(Instant.now(), "u1", "acme", "c1", TokenUsage.of(10, 5), new BigDecimal("0.0000045"));
	}

	public static LlmRunRecord run(Instant startedAt, @Nullable String user, @Nullable String tenant,
			@Nullable String conversation, TokenUsage usage, @Nullable BigDecimal cost) {
		return new LlmRunRecord(UUID.randomUUID(), UUID.randomUUID(), startedAt, "shop", "openai", "gpt-4o-mini", usage,
				cost, LlmRunRecord.Outcome.SUCCESS, false, 1_000_000, -1, new RunIdentity(user, tenant, conversation),
				List.of(), Map.of());
	}

}
