/**
 * A usage tracker per HTTP request, for WebFlux and Spring MVC: filters that open it,
 * argument resolvers that hand it to controller methods, and the {@code LLM-Usage}
 * response header.
 */
@NullMarked
package dev.callbacks.web;

import org.jspecify.annotations.NullMarked;
