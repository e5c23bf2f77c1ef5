package dev.callbacks.internal;

import java.util.ArrayList;
import java.util.List;

import dev.callbacks.BaseCallbackHandler;

/**
 * The handlers of one run tree in delivery order (global, client, request), with the
 * union of their interests so that an event nobody listens to costs one bit test.
 */
final class HandlerSet {

	static final HandlerSet EMPTY = new HandlerSet(new HandlerEntry[0]);

	final HandlerEntry[] entries;

	final int mask;

	final int asyncMask;

	private HandlerSet(HandlerEntry[] entries) {
		this.entries = entries;
		int mask = 0;
		int asyncMask = 0;
		for (HandlerEntry entry : entries) {
			mask |= entry.mask;
			if (entry.async) {
				asyncMask |= entry.mask;
			}
		}
		this.mask = mask;
		this.asyncMask = asyncMask;
	}

	static HandlerSet of(List<? extends BaseCallbackHandler> handlers) {
		List<HandlerEntry> entries = new ArrayList<>(handlers.size());
		for (BaseCallbackHandler handler : handlers) {
			HandlerEntry entry = HandlerEntry.of(handler);
			if (entry.mask != 0) {
				entries.add(entry);
			}
		}
		return entries.isEmpty() ? EMPTY : new HandlerSet(entries.toArray(new HandlerEntry[0]));
	}

	HandlerSet plus(HandlerSet more) {
		if (more.entries.length == 0) {
			return this;
		}
		if (this.entries.length == 0) {
			return more;
		}
		HandlerEntry[] all = new HandlerEntry[this.entries.length + more.entries.length];
		System.arraycopy(this.entries, 0, all, 0, this.entries.length);
		System.arraycopy(more.entries, 0, all, this.entries.length, more.entries.length);
		return new HandlerSet(all);
	}

	boolean listens(EventKind kind) {
		return (this.mask & kind.bit) != 0;
	}

	boolean listensAny(int bits) {
		return (this.mask & bits) != 0;
	}

	boolean hasAsync(EventKind kind) {
		return (this.asyncMask & kind.bit) != 0;
	}

	boolean isEmpty() {
		return this.entries.length == 0;
	}

}
