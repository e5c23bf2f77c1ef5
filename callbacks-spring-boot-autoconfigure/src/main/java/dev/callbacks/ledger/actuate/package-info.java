/**
 * The {@code llmusage} actuator endpoint: usage ledger totals over HTTP or JMX.
 */
@NullMarked
package dev.callbacks.ledger.actuate;

import org.jspecify.annotations.NullMarked;
