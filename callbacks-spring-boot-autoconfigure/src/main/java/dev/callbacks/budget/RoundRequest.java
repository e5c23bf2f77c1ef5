package dev.callbacks.budget;

import java.util.List;

import dev.callbacks.event.RunIdentity;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * One model round about to start, as the budget check sees it.
 *
 * @param client the client's name (the chain run's name)
 * @param identity whom the round is for (user, tenant, conversation), where known
 * @param requestKey what identifies the request ({@code ChatClient} call) the round
 * belongs to: the chain run id; the key of {@link Scope#REQUEST} budgets
 * @param model the model the round asks for, as priced by {@code ModelPrices};
 * {@code null} if unknown (then USD budgets count no cost for it)
 * @param promptTokens the estimated prompt tokens of the round (every message sent)
 * @param maxOutputTokens the round's maximum of output tokens, if it sets one; otherwise
 * each budget reserves its {@link Budget#defaultMaxOutputTokens()}
 * @param budgets budgets given in code for this client or request, in addition to the
 * configured ones
 */
public record RoundRequest(String client, RunIdentity identity, String requestKey, @Nullable String model,
		long promptTokens, @Nullable Integer maxOutputTokens, List<Budget> budgets) {

	public RoundRequest {
		Assert.notNull(client, "client must not be null");
		Assert.notNull(identity, "identity must not be null");
		Assert.notNull(requestKey, "requestKey must not be null");
		Assert.isTrue(promptTokens >= 0, () -> "promptTokens must not be negative: " + promptTokens);
		Assert.isTrue(maxOutputTokens == null || maxOutputTokens >= 0,
				() -> "maxOutputTokens must not be negative: " + maxOutputTokens);
		budgets = List.copyOf(budgets);
	}

	/** A round with no budgets given in code. */
	public RoundRequest(String client, RunIdentity identity, String requestKey, @Nullable String model,
			long promptTokens, @Nullable Integer maxOutputTokens) {
		this(client, identity, requestKey, model, promptTokens, maxOutputTokens, List.of());
	}

}
