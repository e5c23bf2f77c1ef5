/**
 * The lesson's memory experiment: the three-turn birthday-bouquet conversation under
 * buffer, window and summary memory, with the tokens of every turn measured by a
 * {@code UsageTracker}.
 */
@NullMarked
package dev.callbacks.demo.memory;

import org.jspecify.annotations.NullMarked;
