package dev.callbacks.demo.browser;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import dev.callbacks.demo.OfflineShopTest;
import dev.callbacks.demo.support.ExternalProgram;
import dev.callbacks.demo.web.ChatRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web pages in a real browser: Debian's headless Chromium, driven through its
 * chromedriver by Selenium. When Chromium or chromedriver is missing, the tests are
 * skipped and the build prints one WARN line with the install command, unless
 * {@code CI=true}, where they fail instead ({@code .ci/run} installs them). They are
 * looked up on the {@code PATH} (and in {@code /usr/bin}, {@code /usr/lib/chromium}), or
 * named by {@code CHROMIUM_BIN} and {@code CHROMEDRIVER_BIN}. Screenshots go to
 * {@code target/screenshots/}.
 */
@OfflineShopTest
class BrowserTests {

	private static final Path SCREENSHOTS = Path.of("target", "screenshots");

	// Selenium 4.37 knows no DevTools protocol of Chromium 150 and says so; plain
	// WebDriver needs none. Kept in fields: java.util.logging holds loggers weakly, and a
	// collected one forgets its level.
	private static final List<Logger> QUIET = Stream
		.of("org.openqa.selenium.devtools.CdpVersionFinder", "org.openqa.selenium.chromium.ChromiumDriver")
		.map(Logger::getLogger)
		.toList();

	private static WebDriver driver;

	private static Path profile;

	private static String missing;

	@LocalServerPort
	private int port;

	@Autowired
	private WebTestClient client;

	@BeforeAll
	static void startBrowser() throws IOException {
		Optional<Path> chromium = ExternalProgram.find("CHROMIUM_BIN", List.of(Path.of("/usr/lib/chromium")),
				"chromium", "chromium-browser");
		Optional<Path> chromedriver = ExternalProgram.find("CHROMEDRIVER_BIN", List.of(Path.of("/usr/lib/chromium")),
				"chromedriver");
		if (chromium.isEmpty() || chromedriver.isEmpty()) {
			List<String> notFound = new ArrayList<>();
			if (chromium.isEmpty()) {
				notFound.add("chromium");
			}
			if (chromedriver.isEmpty()) {
				notFound.add("chromedriver");
			}
			missing = ExternalProgram.skipOrFail(ExternalProgram.skipLine("Browser tests", String.join("/", notFound),
					"sudo apt-get install chromium chromium-driver"));
			return;
		}
		QUIET.forEach((logger) -> logger.setLevel(Level.SEVERE));
		profile = Files.createTempDirectory("demo-flower-shop-chromium");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(chromium.get().toFile());
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--user-data-dir=" + profile, "--window-size=1280,1000");
		// The driver is given explicitly, so Selenium Manager (which would download one)
		// is not used.
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(chromedriver.get().toFile())
			.usingAnyFreePort()
			.build();
		driver = new ChromeDriver(service, options);
		Files.createDirectories(SCREENSHOTS);
	}

	@BeforeEach
	void needsTheBrowser() {
		// Per test, so that each shows as skipped.
		Assumptions.assumeTrue(driver != null, () -> missing);
	}

	@AfterAll
	static void stopBrowser() throws IOException {
		if (driver != null) {
			driver.quit();
		}
		if (profile != null) {
			try (Stream<Path> files = Files.walk(profile)) {
				files.sorted((a, b) -> b.compareTo(a)).map(Path::toFile).forEach(File::delete);
			}
		}
	}

	@Test
	void chatPageStreamsTheAnswerAndShowsTheTokens() throws IOException {
		driver.get("http://localhost:" + this.port + "/");
		WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
		wait.until((d) -> d.findElement(By.id("model-info")).getText().contains("flower-catalog-1"));

		driver.findElement(By.id("message")).sendKeys("Which flowers suit a birthday? Name three, under 50 words");
		driver.findElement(By.id("send")).click();
		wait.until((d) -> "done".equals(d.findElement(By.id("status")).getDomAttribute("data-state")));

		List<WebElement> answers = driver.findElements(By.cssSelector(".bubble.shop"));
		String answer = answers.get(answers.size() - 1).getText();
		assertThat(answer).startsWith("For a birthday, I'd suggest roses");
		assertThat(number("request-chunks")).isGreaterThan(10);
		assertThat(number("request-total")).isPositive();
		assertThat(number("totals-total")).isGreaterThanOrEqualTo(number("request-total"));
		assertThat(driver.findElement(By.id("status")).getText()).contains("Answered by flower-catalog-1");
		// Spend by customer: this page's conversation, from the usage ledger, holds the
		// request's tokens once the rows are written.
		wait.until((d) -> !d.findElements(By.cssSelector("#spend tr.mine")).isEmpty());
		List<WebElement> mine = driver.findElements(By.cssSelector("#spend tr.mine td"));
		assertThat(mine.get(0).getText()).isEqualTo("you");
		assertThat(Long.parseLong(mine.get(2).getText())).isEqualTo(number("request-total"));
		// The daily budget: what this customer spent, from the same ledger.
		wait.until((d) -> d.findElement(By.id("budget-spent")).getText().equals(mine.get(2).getText()));
		assertThat(number("budget-remaining")).isEqualTo(number("budget-limit") - number("budget-spent"));
		assertThat(driver.findElement(By.id("budget-resets")).getText()).isNotBlank().isNotEqualTo("–");
		screenshot("chat.png");
	}

	@Test
	void chatPageSaysWhenTheBudgetResets() throws IOException {
		driver.get("http://localhost:" + this.port + "/");
		WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
		driver.findElement(By.id("message")).sendKeys("Which flowers suit a wedding?");
		driver.findElement(By.id("send")).click();
		wait.until((d) -> "done".equals(d.findElement(By.id("status")).getDomAttribute("data-state")));
		// The page's customer, from its row in the spend table; its budget used up
		// through the API.
		wait.until((d) -> !d.findElements(By.cssSelector("#spend tr.mine")).isEmpty());
		String customer = driver.findElement(By.cssSelector("#spend tr.mine")).getDomAttribute("data-conversation");
		int answered = 0;
		while (chat(customer) == HttpStatus.OK) {
			assertThat(++answered).as("questions before the budget ran out").isLessThan(30);
		}

		driver.findElement(By.id("message")).sendKeys("Which flowers suit a birthday?");
		driver.findElement(By.id("send")).click();
		wait.until((d) -> "refused".equals(d.findElement(By.id("status")).getDomAttribute("data-state")));

		List<WebElement> answers = driver.findElements(By.cssSelector(".bubble.shop.refused"));
		assertThat(answers).hasSize(1);
		assertThat(answers.get(0).getText()).startsWith("You have used up today's budget of 2000 tokens")
			.contains("It resets at", "Please come back then.");
		assertThat(driver.findElement(By.id("status")).getText()).contains("429", "Retry-After");
		wait.until((d) -> "exhausted".equals(d.findElement(By.id("budget")).getDomAttribute("data-state")));
		screenshot("budget-exhausted.png");
	}

	private HttpStatusCode chat(String customer) {
		return this.client.post()
			.uri("/api/chat")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(new ChatRequest("Which flowers suit an anniversary?", customer))
			.exchange()
			.expectBody()
			.returnResult()
			.getStatus();
	}

	@Test
	void memoryReportDrawsTheTokensPerTurn() throws IOException {
		driver.get("http://localhost:" + this.port + "/memory.html");
		WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
		wait.until((d) -> "done".equals(d.findElement(By.id("status")).getDomAttribute("data-state")));

		List<WebElement> lines = driver.findElements(By.cssSelector("#memory-chart polyline.series"));
		assertThat(lines).extracting((line) -> line.getDomAttribute("data-memory"))
			.containsExactly("buffer", "window", "summary");
		assertThat(driver.findElements(By.cssSelector("#memory-chart circle"))).hasSize(9);
		assertThat(driver.findElements(By.cssSelector(".memory-table tbody tr"))).hasSize(3 * 4);
		// Tall enough for the tables under the chart.
		driver.manage().window().setSize(new Dimension(1280, 2200));
		screenshot("memory-report.png");
		driver.manage().window().setSize(new Dimension(1280, 1000));
	}

	private static long number(String id) {
		return Long.parseLong(driver.findElement(By.id(id)).getText().trim());
	}

	private static void screenshot(String name) throws IOException {
		byte[] png = ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES);
		Files.write(SCREENSHOTS.resolve(name), png);
	}

}
