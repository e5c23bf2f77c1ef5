/**
 * Tests of prices, cost and price maps.
 */
@NullMarked
package dev.callbacks.usage;

import org.jspecify.annotations.NullMarked;
