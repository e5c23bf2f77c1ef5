/**
 * The Grafana dashboard shipped with the demo, its queries run by a real Prometheus.
 */
@NullMarked
package dev.callbacks.demo.grafana;

import org.jspecify.annotations.NullMarked;
