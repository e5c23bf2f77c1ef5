package dev.callbacks;

import java.util.UUID;

import dev.callbacks.usage.TokenUsage;
import org.jspecify.annotations.Nullable;

/**
 * What an ended tool run leaves for accounting: the input of
 * {@link CallbackObserver#onToolRun(ToolRunRecord)}, such as the tool meters. Carries no
 * tool input or output.
 *
 * @param runId the tool run's id, as in its events
 * @param chainRunId the id of the chain run it belongs to
 * @param client the chain run's name
 * @param toolName the tool's name
 * @param success whether the tool returned without throwing
 * @param durationNanos from the start event to the end or error
 * @param askingRoundUsage the tokens of the model round that asked for this tool, when
 * that round asked for this tool alone (so they belong to it exactly); {@code null}
 * otherwise
 */
public record ToolRunRecord(UUID runId, UUID chainRunId, String client, String toolName, boolean success,
		long durationNanos, @Nullable TokenUsage askingRoundUsage) {
}
