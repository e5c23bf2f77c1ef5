/**
 * The flower shop's domain: the bundled catalogue of flowers and occasions, and the
 * Spring AI tools that let a model check stock and quote prices.
 */
@NullMarked
package dev.callbacks.demo.catalog;

import org.jspecify.annotations.NullMarked;
