/**
 * The demo in a real browser.
 */
@NullMarked
package dev.callbacks.demo.browser;

import org.jspecify.annotations.NullMarked;
