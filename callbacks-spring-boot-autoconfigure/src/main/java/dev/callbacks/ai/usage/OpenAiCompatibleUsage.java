package dev.callbacks.ai.usage;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Map;

import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.metadata.Usage;

/**
 * Providers with an OpenAI-shaped usage object that Spring AI keeps as it was parsed:
 * {@code prompt_tokens} including the cached part, {@code completion_tokens} including
 * reasoning. Spring AI's DeepSeek module (a record with
 * {@code prompt_tokens_details.cached_tokens}, which Spring AI 2.0.1 does not copy into
 * {@link Usage#getCacheReadInputTokens()}), its Mistral AI module (prompt, completion,
 * total only), and any chat model that reports a {@code Map} of the wire fields. The
 * parts are read by name (records by component, maps by key), so no provider class is
 * needed: DeepSeek's {@code prompt_cache_hit_tokens} and OpenAI's
 * {@code prompt_tokens_details.cached_tokens} and
 * {@code completion_tokens_details.reasoning_tokens}.
 */
final class OpenAiCompatibleUsage {

	private static final String SPRING_AI_PACKAGE = "org.springframework.ai.";

	// Accessor paths are found once per record class.
	private static final ClassValue<RecordPaths> PATHS = new ClassValue<>() {
		@Override
		protected RecordPaths computeValue(Class<?> type) {
			return RecordPaths.of(type);
		}
	};

	private OpenAiCompatibleUsage() {
	}

	static boolean handles(Object nativeUsage) {
		return nativeUsage instanceof Map<?, ?> || nativeUsage.getClass().isRecord();
	}

	/**
	 * The provider a Spring AI module's usage record belongs to (its module package:
	 * {@code deepseek}, {@code mistral_ai}), or {@code fallback}.
	 */
	static String provider(String usageClassName, String fallback) {
		if (!usageClassName.startsWith(SPRING_AI_PACKAGE)) {
			return fallback;
		}
		int end = usageClassName.indexOf('.', SPRING_AI_PACKAGE.length());
		String module = (end > 0) ? usageClassName.substring(SPRING_AI_PACKAGE.length(), end) : fallback;
		// Spring AI's own provider names (AiProvider) where they differ from the package.
		return "mistralai".equals(module) ? "mistral_ai" : module;
	}

	static @Nullable TokenUsage read(Usage usage, Object nativeUsage, String provider) {
		Long cacheRead = usage.getCacheReadInputTokens();
		long reasoning;
		if (nativeUsage instanceof Map<?, ?> map) {
			if (cacheRead == null) {
				cacheRead = firstOf(number(map, "prompt_tokens_details", "cached_tokens"),
						number(map, "prompt_cache_hit_tokens", null));
			}
			reasoning = orZero(number(map, "completion_tokens_details", "reasoning_tokens"));
		}
		else {
			RecordPaths paths = PATHS.get(nativeUsage.getClass());
			if (cacheRead == null) {
				cacheRead = firstOf(paths.read(nativeUsage, paths.cachedTokens),
						paths.read(nativeUsage, paths.cacheHitTokens));
			}
			reasoning = orZero(paths.read(nativeUsage, paths.reasoningTokens));
		}
		return new UsageReport(provider).prompt("prompt_tokens", orZero(usage.getPromptTokens()))
			.completion("completion_tokens", orZero(usage.getCompletionTokens()))
			.cacheRead("prompt_tokens_details.cached_tokens", orZero(cacheRead))
			.reasoning("completion_tokens_details.reasoning_tokens", reasoning)
			.reportedTotal(orZero(usage.getTotalTokens()))
			.toTokenUsage();
	}

	private static @Nullable Long number(Map<?, ?> map, String key, @Nullable String nestedKey) {
		Object value = map.get(key);
		if (nestedKey != null) {
			value = (value instanceof Map<?, ?> nested) ? nested.get(nestedKey) : null;
		}
		return (value instanceof Number number) ? number.longValue() : null;
	}

	private static @Nullable Long firstOf(@Nullable Long first, @Nullable Long second) {
		return (first != null) ? first : second;
	}

	private static long orZero(@Nullable Number value) {
		return (value != null) ? value.longValue() : 0;
	}

	/** Accessors of the known parts in one record class; empty paths where absent. */
	private record RecordPaths(Method[] cachedTokens, Method[] cacheHitTokens, Method[] reasoningTokens) {

		private static final Method[] NONE = {};

		static RecordPaths of(Class<?> type) {
			return new RecordPaths(path(type, "promptTokensDetails", "cachedTokens"),
					path(type, "promptCacheHitTokens", null), path(type, "completionTokensDetails", "reasoningTokens"));
		}

		private static Method[] path(Class<?> type, String component, @Nullable String nested) {
			Method first = accessor(type, component);
			if (first == null) {
				return NONE;
			}
			if (nested == null) {
				return new Method[] { first };
			}
			Method second = accessor(first.getReturnType(), nested);
			return (second != null) ? new Method[] { first, second } : NONE;
		}

		private static @Nullable Method accessor(Class<?> type, String name) {
			RecordComponent[] components = type.getRecordComponents();
			if (components == null) {
				return null;
			}
			for (RecordComponent component : components) {
				if (component.getName().equals(name)) {
					Method accessor = component.getAccessor();
					// Records nested in non-public classes need this; a failure shows
					// when the accessor is called, and the part then counts as
					// unreported.
					accessor.trySetAccessible();
					return accessor;
				}
			}
			return null;
		}

		@Nullable Long read(Object target, Method[] path) {
			Object value = target;
			try {
				for (Method accessor : path) {
					if (value == null) {
						return null;
					}
					value = accessor.invoke(value);
				}
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				return null;
			}
			return (path.length > 0 && value instanceof Number number) ? number.longValue() : null;
		}

	}

}
