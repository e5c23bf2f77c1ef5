/**
 * Test fixtures: scripted chat models and a mock OpenAI server that the real Spring AI
 * clients can talk to.
 */
@NullMarked
package dev.callbacks.test;

import org.jspecify.annotations.NullMarked;
