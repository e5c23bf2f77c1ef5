/**
 * Tests of the provider usage readers.
 */
@NullMarked
package dev.callbacks.ai.usage;

import org.jspecify.annotations.NullMarked;
