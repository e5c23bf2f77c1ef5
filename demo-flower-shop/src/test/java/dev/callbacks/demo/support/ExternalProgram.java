package dev.callbacks.demo.support;

import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A program that some tests take from the machine (Chromium, chromedriver, Prometheus),
 * and what happens when it is missing. An environment variable may name the binary;
 * otherwise it is looked up on the {@code PATH} and in Debian's folders.
 * <p>
 * When it is missing, the tests are skipped, and the build says so in one WARN line with
 * the command that installs it: a skipped JUnit assumption alone shows nowhere in Maven's
 * output, and a fresh machine would silently test less. Under {@code CI=true} they fail
 * instead, as CI installs everything the tests need.
 */
public final class ExternalProgram {

	// Once per JVM for each line, however many test classes need the same program.
	private static final Set<String> warned = ConcurrentHashMap.newKeySet();

	private static final List<Path> DEBIAN_FOLDERS = List.of(Path.of("/usr/bin"), Path.of("/usr/sbin"));

	private ExternalProgram() {
	}

	/**
	 * Find a program.
	 * @param variable the environment variable that may name the binary
	 * @param folders folders to look in after the {@code PATH} and Debian's
	 * {@code /usr/bin} and {@code /usr/sbin}
	 * @param names the names the binary may have, in order of preference
	 * @return the executable, if there is one
	 */
	public static Optional<Path> find(String variable, List<Path> folders, String... names) {
		return find(System.getenv(variable), System.getenv("PATH"), folders, names);
	}

	static Optional<Path> find(@Nullable String given, @Nullable String path, List<Path> folders, String... names) {
		if (given != null && !given.isBlank()) {
			// Named explicitly: that binary or none, never a different one from the PATH.
			return Optional.of(Path.of(given)).filter(Files::isExecutable);
		}
		List<Path> directories = new ArrayList<>();
		if (path != null) {
			Stream.of(path.split(File.pathSeparator))
				.filter((entry) -> !entry.isEmpty())
				.map(Path::of)
				.forEach(directories::add);
		}
		directories.addAll(DEBIAN_FOLDERS);
		directories.addAll(folders);
		return directories.stream()
			.flatMap((directory) -> Stream.of(names).map(directory::resolve))
			.filter((candidate) -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
			.findFirst();
	}

	/**
	 * The one line that says which tests are skipped and how to run them.
	 * @param tests the tests, e.g. "Browser tests"
	 * @param missing what is missing, e.g. "chromium/chromedriver"
	 * @param install the command that installs it
	 * @return e.g. "Browser tests skipped: chromium/chromedriver not found; install with:
	 * sudo apt-get install chromium chromium-driver"
	 */
	public static String skipLine(String tests, String missing, String install) {
		return tests + " skipped: " + missing + " not found; install with: " + install;
	}

	/**
	 * Skip, saying so once on standard error, or fail under {@code CI=true}.
	 * @param line the {@link #skipLine skip line}
	 * @return the line, for the assumption that skips the tests
	 */
	public static String skipOrFail(String line) {
		return skipOrFail(line, System.getenv("CI"), System.err);
	}

	static String skipOrFail(String line, @Nullable String ci, PrintStream out) {
		if ("true".equals(ci)) {
			fail("CI=true, so nothing may be skipped: " + line);
		}
		if (warned.add(line)) {
			out.println("[WARNING] " + line);
			out.flush();
		}
		return line;
	}

}
