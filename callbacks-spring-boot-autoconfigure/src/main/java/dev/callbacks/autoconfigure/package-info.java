/**
 * Spring Boot auto-configuration: wires the callback manager, the handler beans, the
 * adapter, the meters and the per-request usage tracker from {@code callbacks.*}
 * properties. Only wiring lives here.
 */
@NullMarked
package dev.callbacks.autoconfigure;

import org.jspecify.annotations.NullMarked;
