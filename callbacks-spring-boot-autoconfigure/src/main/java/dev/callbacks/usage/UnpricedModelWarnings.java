package dev.callbacks.usage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Decides when to warn about models without a price: the first one at once, then at most
 * one line per interval that names one model and counts the others seen since the last
 * line. Model names come from responses and may be chosen by users, so a thousand
 * distinct names must not become a thousand log lines.
 */
final class UnpricedModelWarnings {

	static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);

	// Names already reported or counted. Bounded: beyond it a repeated name counts again,
	// so counts are exact up to this many distinct names and an upper bound after.
	private static final int MAX_REMEMBERED = 1024;

	private static final int MAX_EXAMPLES = 3;

	private static final int MAX_NAME_LENGTH = 100;

	private final LongSupplier nanoTime;

	private final Duration interval;

	// All guarded by "this": a lock per LLM run of an unpriced model is nothing next to
	// the
	// call itself.
	private final Set<String> seen = new HashSet<>();

	private final List<String> examples = new ArrayList<>(MAX_EXAMPLES);

	private boolean warnedBefore;

	private long nextWarningAt;

	private int suppressed;

	UnpricedModelWarnings(LongSupplier nanoTime, Duration interval) {
		this.nanoTime = nanoTime;
		this.interval = interval;
	}

	static UnpricedModelWarnings withDefaultInterval() {
		return new UnpricedModelWarnings(System::nanoTime, DEFAULT_INTERVAL);
	}

	/**
	 * The line to log now that {@code model} was used without a price, or {@code null}
	 * when nothing is to be logged yet.
	 */
	synchronized @Nullable String onUnpriced(String model) {
		boolean known = this.seen.contains(model);
		if (!known && this.seen.size() < MAX_REMEMBERED) {
			this.seen.add(model);
		}
		long now = this.nanoTime.getAsLong();
		boolean due = !this.warnedBefore || now - this.nextWarningAt >= 0;
		if (!due) {
			if (!known) {
				this.suppressed++;
				if (this.examples.size() < MAX_EXAMPLES) {
					this.examples.add(model);
				}
			}
			return null;
		}
		if (known && this.suppressed == 0) {
			return null;
		}
		String line = message(known ? null : model);
		this.warnedBefore = true;
		this.nextWarningAt = now + this.interval.toNanos();
		this.suppressed = 0;
		this.examples.clear();
		return line;
	}

	private String message(@Nullable String model) {
		if (this.suppressed == 0 && model != null) {
			String name = printable(model);
			return "No price for model '" + name + "': its tokens are counted but cost nothing. Set "
					+ "callbacks.pricing.models.[" + name + "].prompt and .completion (USD per 1M tokens) to price it. "
					+ "Further models without a price are reported at most once every " + describe(this.interval) + ".";
		}
		String examples = this.examples.stream()
			.map(UnpricedModelWarnings::printable)
			.map(name -> "'" + name + "'")
			.collect(Collectors.joining(", "));
		String subject = (model != null)
				? "model '" + printable(model) + "' nor for " + this.suppressed + " other models"
				: this.suppressed + " models";
		return "No price for " + subject + " seen since the last such warning (for example " + examples
				+ "): their tokens are counted but cost nothing. Set callbacks.pricing.models.[<model>].prompt "
				+ "and .completion (USD per 1M tokens) to price them.";
	}

	// Names come from responses: keep a log line one line, and short.
	private static String printable(String name) {
		StringBuilder printable = new StringBuilder(Math.min(name.length(), MAX_NAME_LENGTH));
		for (int i = 0; i < name.length() && i < MAX_NAME_LENGTH; i++) {
			char c = name.charAt(i);
			printable.append(Character.isISOControl(c) ? '?' : c);
		}
		if (name.length() > MAX_NAME_LENGTH) {
			printable.append("...");
		}
		return printable.toString();
	}

	private static String describe(Duration interval) {
		long seconds = interval.toSeconds();
		if (seconds % 60 == 0) {
			long minutes = seconds / 60;
			return (minutes == 1) ? "minute" : minutes + " minutes";
		}
		return seconds + " seconds";
	}

}
