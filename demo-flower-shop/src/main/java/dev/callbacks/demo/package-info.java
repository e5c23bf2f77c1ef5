/**
 * The flower-shop demo application of the callbacks starter.
 */
@NullMarked
package dev.callbacks.demo;

import org.jspecify.annotations.NullMarked;
