package dev.callbacks.budget;

/**
 * Whose spending a budget limits: each scope key (a request, a user, a tenant, …) has a
 * budget of its own.
 */
public enum Scope {

	/** One {@code ChatClient} call with all its model rounds (tool rounds included). */
	REQUEST,

	/** One conversation ({@code RunIdentity.conversation()}). */
	CONVERSATION,

	/** One user ({@code RunIdentity.user()}). */
	USER,

	/** One tenant ({@code RunIdentity.tenant()}). */
	TENANT,

	/** One client (the chain run's name, {@code Callbacks.handlers().name(…)}). */
	CLIENT,

	/** The whole application (every instance sharing the store). */
	GLOBAL

}
