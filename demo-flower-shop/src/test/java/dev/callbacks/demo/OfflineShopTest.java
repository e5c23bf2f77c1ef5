package dev.callbacks.demo;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;

/**
 * The whole shop on a random port with the offline model. Every test class with this
 * annotation shares one application context, so keep the properties here.
 * <p>
 * The model is pinned to the offline one, so that an {@code OPENAI_API_KEY} in the
 * environment never turns the tests into paid calls. Tokens stream without delay; the
 * async handler waits 100 ms per step, long enough to show that concurrent requests
 * overlap.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.model.chat=flower-catalog", "flower-shop.token-delay=0ms",
				"flower-shop.async-handler-delay=" + OfflineShopTest.ASYNC_HANDLER_DELAY_MILLIS + "ms",
				"callbacks.file.path=" + OfflineShopTest.OUTPUT_LOG,
				"spring.datasource.url=" + OfflineShopTest.LEDGER_URL })
@AutoConfigureWebTestClient
public @interface OfflineShopTest {

	/** How long each step of the async handler takes in tests. */
	long ASYNC_HANDLER_DELAY_MILLIS = 100;

	/** The usage ledger's database in tests: in memory, not the shop's file. */
	String LEDGER_URL = "jdbc:h2:mem:flower-shop-ledger-test;DB_CLOSE_DELAY=-1";

	/** Where the file handler writes in tests (relative to the module). */
	String OUTPUT_LOG = "target/test-output.log";

}
