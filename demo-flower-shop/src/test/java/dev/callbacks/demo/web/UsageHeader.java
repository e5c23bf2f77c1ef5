package dev.callbacks.demo.web;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.callbacks.demo.usage.TokenCounts;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code LLM-Usage} response header, parsed.
 */
record UsageHeader(long prompt, long completion, long total) {

	private static final Pattern FORMAT = Pattern
		.compile("prompt=(\\d+), completion=(\\d+), total=(\\d+), cost=\\d+(\\.\\d+)?");

	static UsageHeader parse(String value) {
		Matcher matcher = FORMAT.matcher(value);
		assertThat(matcher.matches()).as("LLM-Usage header '%s'", value).isTrue();
		return new UsageHeader(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
				Long.parseLong(matcher.group(3)));
	}

	void assertMatches(TokenCounts counts) {
		assertThat(this)
			.isEqualTo(new UsageHeader(counts.promptTokens(), counts.completionTokens(), counts.totalTokens()));
	}

}
