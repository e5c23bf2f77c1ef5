package dev.callbacks.ai.usage;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Usage reports a provider got wrong (a negative count, a part larger than its whole, a
 * total that does not add up), counted per provider and kind. The chat goes on: the
 * readers repair or drop such a report (see {@link Kind}) and log a WARN once per
 * provider and kind, never with prompt or completion text.
 * <p>
 * The counts are process-wide, like the providers' behaviour they record; read them with
 * {@link #count(String, Kind)} (for example from a Micrometer {@code FunctionCounter}).
 */
public final class UsageAnomalies {

	private static final Logger logger = LoggerFactory.getLogger(UsageAnomalies.class);

	// Keys are provider names the readers derive from classes on the class path and a
	// fixed set of kinds, so both maps stay small.
	private static final ConcurrentMap<String, Map<Kind, LongAdder>> counts = new ConcurrentHashMap<>();

	private static final Set<String> warned = ConcurrentHashMap.newKeySet();

	private UsageAnomalies() {
	}

	/**
	 * How many reports of {@code kind} {@code provider} has sent since the class was
	 * loaded.
	 */
	public static long count(String provider, Kind kind) {
		Map<Kind, LongAdder> byKind = counts.get(provider);
		LongAdder adder = (byKind != null) ? byKind.get(kind) : null;
		return (adder != null) ? adder.sum() : 0;
	}

	/** Every count so far, by provider and kind, in name order. */
	public static Map<String, Map<Kind, Long>> counts() {
		Map<String, Map<Kind, Long>> snapshot = new TreeMap<>();
		counts.forEach((provider, byKind) -> {
			Map<Kind, Long> kinds = new EnumMap<>(Kind.class);
			byKind.forEach((kind, adder) -> kinds.put(kind, adder.sum()));
			snapshot.put(provider, Collections.unmodifiableMap(kinds));
		});
		return Collections.unmodifiableMap(snapshot);
	}

	static void record(String provider, Kind kind, String detail) {
		Map<Kind, LongAdder> byKind = counts.computeIfAbsent(provider, p -> {
			Map<Kind, LongAdder> created = new EnumMap<>(Kind.class);
			for (Kind k : Kind.values()) {
				created.put(k, new LongAdder());
			}
			return created;
		});
		LongAdder count = byKind.get(kind);
		if (count != null) {
			count.increment();
		}
		if (warned.add(provider + '\u0000' + kind)) {
			logger.warn("Provider '{}' reported unusable token usage ({}): {}; {}. Logged once per provider and kind.",
					provider, detail, kind.description, kind.action);
		}
	}

	/** What was wrong with a report, and what the readers did about it. */
	public enum Kind {

		/**
		 * A prompt or completion count was negative: the report is dropped, so the round
		 * counts as unreported (estimated with a tokenizer, or the stream's previous
		 * report stands).
		 */
		NEGATIVE_COUNT("a prompt or completion count is negative",
				"the report is ignored and the round's usage is estimated"),

		/**
		 * A breakdown (cache reads or writes, reasoning) was negative: it is counted as
		 * 0.
		 */
		NEGATIVE_PART("a cache or reasoning count is negative", "that count is taken as 0"),

		/**
		 * A breakdown was larger than the count it is part of: it is capped at that
		 * count.
		 */
		PART_EXCEEDS_WHOLE("a cache or reasoning count exceeds the count it is part of", "it is capped at that count"),

		/**
		 * The provider's total is not prompt + completion: the total is recomputed, the
		 * parts are kept.
		 */
		TOTAL_MISMATCH("the reported total is not prompt + completion", "the total is recomputed from the parts");

		private final String description;

		private final String action;

		Kind(String description, String action) {
			this.description = description;
			this.action = action;
		}

		/** The lower-case name used in meter tags. */
		public String tagValue() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

}
