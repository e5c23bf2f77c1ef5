/**
 * The lesson's callback handlers, declared as beans: the starter applies every handler
 * bean to every {@code ChatClient}.
 */
@NullMarked
package dev.callbacks.demo.handlers;

import org.jspecify.annotations.NullMarked;
