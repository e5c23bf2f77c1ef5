/**
 * The shop's HTTP API: chat (plain and streamed), the lesson's memory experiment and
 * concurrent requests. Every request has its own {@code UsageTracker}, opened by the
 * starter; the handlers read it as a method argument.
 */
@NullMarked
package dev.callbacks.demo.web;

import org.jspecify.annotations.NullMarked;
