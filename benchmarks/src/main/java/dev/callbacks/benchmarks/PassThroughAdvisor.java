package dev.callbacks.benchmarks;

import reactor.core.publisher.Flux;

import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisor;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain;

/**
 * An advisor that does nothing: two of them, at the orders of the starter's two advisors,
 * measure what Spring AI's advisor chain charges for any advisor (per request, and per
 * streamed chunk), whatever the advisor does.
 */
final class PassThroughAdvisor implements CallAdvisor, StreamAdvisor {

	private final String name;

	private final int order;

	PassThroughAdvisor(String name, int order) {
		this.name = name;
		this.order = order;
	}

	@Override
	public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
		return chain.nextCall(request);
	}

	@Override
	public Flux<ChatClientResponse> adviseStream(ChatClientRequest request, StreamAdvisorChain chain) {
		return chain.nextStream(request);
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public int getOrder() {
		return this.order;
	}

}
