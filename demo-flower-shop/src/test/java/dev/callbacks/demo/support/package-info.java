/**
 * What the demo's tests need from the machine they run on.
 */
@NullMarked
package dev.callbacks.demo.support;

import org.jspecify.annotations.NullMarked;
