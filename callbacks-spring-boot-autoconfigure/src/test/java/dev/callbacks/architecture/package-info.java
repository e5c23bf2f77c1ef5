/**
 * Tests that hold the library's layers and package graph in place.
 */
@NullMarked
package dev.callbacks.architecture;

import org.jspecify.annotations.NullMarked;
