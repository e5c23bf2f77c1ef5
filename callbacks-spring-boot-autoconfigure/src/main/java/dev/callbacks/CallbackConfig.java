package dev.callbacks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.callbacks.budget.Budget;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.util.Assert;

/**
 * Handlers, tags and metadata for one level of a {@code ChatClient}: the client (pass it
 * to {@code builder.defaultAdvisors(…)}) or one request (pass it to
 * {@code prompt().advisors(…)}). Made with
 * {@link Callbacks#handlers(BaseCallbackHandler...)}.
 * <p>
 * What it adds is fixed when it is applied: changing it afterwards does not change
 * clients or requests it was already given to. It also adds the two callback advisors, so
 * it works on any {@code ChatClient}, including one the auto-configuration never saw; on
 * clients that already have them the extra ones step aside.
 */
public final class CallbackConfig implements Consumer<ChatClient.AdvisorSpec> {

	private static final AtomicLong SEQUENCE = new AtomicLong();

	private final List<BaseCallbackHandler> handlers;

	private final List<String> tags = new ArrayList<>();

	private final Map<String, Object> metadata = new LinkedHashMap<>();

	private @Nullable String name;

	private final List<Budget> budgets = new ArrayList<>();

	CallbackConfig(List<BaseCallbackHandler> handlers) {
		this.handlers = List.copyOf(handlers);
	}

	/** Adds tags to every run of this level; inner runs inherit them. */
	public CallbackConfig tags(String... tags) {
		Assert.notNull(tags, "tags must not be null");
		for (String tag : tags) {
			Assert.hasText(tag, "tags must not contain null or blank elements");
			if (!this.tags.contains(tag)) {
				this.tags.add(tag);
			}
		}
		return this;
	}

	/**
	 * Adds a metadata entry to every run of this level; inner runs inherit it, inner
	 * levels may override it.
	 */
	public CallbackConfig metadata(String key, Object value) {
		Assert.hasText(key, "metadata key must not be null or blank");
		Assert.notNull(value, () -> "metadata value for '" + key + "' must not be null");
		this.metadata.put(key, value);
		return this;
	}

	/**
	 * Names the chain run ({@code "chat_client"} when no level names it) and with it the
	 * {@code client} tag of the {@code llm.*} meters; keep names few and fixed.
	 */
	public CallbackConfig name(String name) {
		Assert.hasText(name, "name must not be null or blank");
		this.name = name;
		return this;
	}

	/**
	 * Adds budgets that every model round of this client or request is checked against
	 * (besides the configured {@code callbacks.budgets.*}), such as
	 * {@code Budget.tokens(20_000).perRequest()}. They need a budget enforcer in the
	 * application (the auto-configuration provides one).
	 */
	public CallbackConfig budget(Budget... budgets) {
		Assert.notNull(budgets, "budgets must not be null");
		Assert.noNullElements(budgets, "budgets must not contain null elements");
		this.budgets.addAll(List.of(budgets));
		return this;
	}

	/** The handlers of this level, in the order given. */
	public List<BaseCallbackHandler> handlers() {
		return this.handlers;
	}

	@Override
	public void accept(ChatClient.AdvisorSpec spec) {
		// The level travels in its own chain advisor: Spring AI keeps advisors in the
		// order they were added (client defaults, then the request's), and an
		// advisor-context entry would be copied for every streamed chunk.
		spec.advisors(CallbacksProvider.get().advisors(snapshot()));
	}

	/** What this configuration holds now, frozen, numbered in the order applied. */
	public Snapshot snapshot() {
		return new Snapshot(SEQUENCE.incrementAndGet(), this.handlers, List.copyOf(this.tags),
				Collections.unmodifiableMap(new LinkedHashMap<>(this.metadata)), this.name, List.copyOf(this.budgets));
	}

	@Override
	public String toString() {
		return "CallbackConfig" + this.handlers.stream().map(h -> h.getClass().getSimpleName()).toList();
	}

	/**
	 * One applied level, frozen: what its chain advisor carries.
	 *
	 * @param sequence when it was applied (a client is configured before its requests)
	 * @param handlers its handlers, in the order given
	 * @param tags its tags
	 * @param metadata its metadata
	 * @param name the chain run's name, if this level gives one
	 * @param budgets budgets its model rounds are checked against
	 */
	public record Snapshot(long sequence, List<BaseCallbackHandler> handlers, List<String> tags,
			Map<String, Object> metadata, @Nullable String name, List<Budget> budgets) {

		@Override
		public String toString() {
			return "CallbackLevel#" + this.sequence;
		}

	}

}
