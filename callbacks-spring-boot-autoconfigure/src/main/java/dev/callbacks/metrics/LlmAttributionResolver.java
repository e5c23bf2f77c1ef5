package dev.callbacks.metrics;

import dev.callbacks.LlmRunRecord;
import org.jspecify.annotations.Nullable;

/**
 * Resolves the attribution tag (user, tenant, feature, ...) of an LLM run's meters.
 * Whatever it returns is checked against the configured set
 * ({@code callbacks.metrics.attribution.values}): anything outside becomes {@code other},
 * so a resolver cannot blow up the meters' cardinality. Declare one as a bean; without
 * one, the run's metadata entry named like the tag is used.
 */
@FunctionalInterface
public interface LlmAttributionResolver {

	/** The attribution of {@code run}, or {@code null} when it has none. */
	@Nullable String resolve(LlmRunRecord run);

	/** The resolver used without a bean: the run's metadata entry named {@code key}. */
	static LlmAttributionResolver fromMetadata(String key) {
		return (run) -> {
			Object value = run.metadata().get(key);
			return (value != null) ? value.toString() : null;
		};
	}

}
