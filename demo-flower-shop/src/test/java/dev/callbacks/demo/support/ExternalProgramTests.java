package dev.callbacks.demo.support;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ExternalProgram}.
 */
class ExternalProgramTests {

	@TempDir
	Path folder;

	@Test
	void theSkipLineNamesWhatIsMissingAndTheInstallCommand() {
		assertThat(ExternalProgram.skipLine("Browser tests", "chromium/chromedriver",
				"sudo apt-get install chromium chromium-driver"))
			.isEqualTo("Browser tests skipped: chromium/chromedriver not found; "
					+ "install with: sudo apt-get install chromium chromium-driver");
	}

	@Test
	void warnsOnceOnOneLineOutsideCi() {
		String line = ExternalProgram.skipLine("Example tests " + UUID.randomUUID(), "example",
				"sudo apt-get install example");
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

		assertThat(ExternalProgram.skipOrFail(line, null, out)).isEqualTo(line);
		assertThat(ExternalProgram.skipOrFail(line, "false", out)).isEqualTo(line);

		assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("[WARNING] " + line + System.lineSeparator());
	}

	@Test
	void failsUnderCi() {
		String line = ExternalProgram.skipLine("Example tests", "example", "sudo apt-get install example");
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		assertThatExceptionOfType(AssertionFailedError.class).isThrownBy(
				() -> ExternalProgram.skipOrFail(line, "true", new PrintStream(bytes, true, StandardCharsets.UTF_8)))
			.withMessageContaining(line);
		assertThat(bytes.size()).isZero();
	}

	@Test
	void findsTheFirstExecutableOnThePathThenInTheGivenFolders() throws IOException {
		Path first = Files.createDirectories(this.folder.resolve("first"));
		Path second = Files.createDirectories(this.folder.resolve("second"));
		Path extra = Files.createDirectories(this.folder.resolve("extra"));
		Files.createFile(first.resolve("tool"));
		Path onPath = executable(second.resolve("tool"));
		Path inExtra = executable(extra.resolve("other-tool"));
		Files.createDirectories(first.resolve("other-tool"));
		String path = first + File.pathSeparator + second;

		assertThat(ExternalProgram.find(null, path, List.of(extra), "tool")).contains(onPath);
		assertThat(ExternalProgram.find(null, path, List.of(extra), "missing-" + UUID.randomUUID(), "other-tool"))
			.contains(inExtra);
		assertThat(ExternalProgram.find(null, path, List.of(extra), "missing-" + UUID.randomUUID())).isEmpty();
	}

	@Test
	void aBinaryNamedByTheVariableWinsAndIsNotReplacedByAnother() throws IOException {
		Path named = executable(this.folder.resolve("named"));
		Path onPath = executable(Files.createDirectories(this.folder.resolve("bin")).resolve("tool"));

		assertThat(ExternalProgram.find(named.toString(), onPath.getParent().toString(), List.of(), "tool"))
			.contains(named);
		assertThat(ExternalProgram.find(this.folder.resolve("absent").toString(), onPath.getParent().toString(),
				List.of(), "tool"))
			.isEmpty();
	}

	private static Path executable(Path file) throws IOException {
		Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
		return file;
	}

}
