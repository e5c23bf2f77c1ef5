package dev.callbacks.handlers;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

import dev.callbacks.event.CallbackEvent;

import org.springframework.util.Assert;

/**
 * Appends one line per event to a file: time, event, run identity and what happened
 * (without prompt or completion text unless asked). Thread-safe: concurrent runs never
 * interleave within a line. Each line is flushed, so the file is current while the
 * application runs; {@link #close()} releases it.
 *
 * <pre>
 * 2026-11-25T19:40:34.123Z chain_start name=chat_client run=0193… tags=[birthday]
 * </pre>
 */
public class FileCallbackHandler extends EventLineHandler implements Closeable {

	private final Path path;

	private final BufferedWriter writer;

	/**
	 * Appends to {@code path} without prompt or completion text; creates the file (not
	 * its folders).
	 */
	public FileCallbackHandler(Path path) {
		this(path, false);
	}

	/**
	 * Appends to {@code path}, creating the file (not its folders).
	 * @param includeContent whether to write prompt and completion text (and tool input
	 * and output)
	 * @throws UncheckedIOException when the file cannot be opened for appending
	 */
	public FileCallbackHandler(Path path, boolean includeContent) {
		super(includeContent);
		Assert.notNull(path, "path must not be null");
		this.path = path;
		try {
			this.writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
					StandardOpenOption.APPEND, StandardOpenOption.WRITE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot append to " + path.toAbsolutePath() + ": " + ex, ex);
		}
	}

	/** The file written to. */
	public Path path() {
		return this.path;
	}

	@Override
	void handle(CallbackEvent event) {
		String line = Instant.now() + " " + this.formatter.describeWithRun(event);
		synchronized (this.writer) {
			try {
				this.writer.write(line);
				this.writer.newLine();
				this.writer.flush();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot append to " + this.path.toAbsolutePath(), ex);
			}
		}
	}

	@Override
	public void close() throws IOException {
		synchronized (this.writer) {
			this.writer.close();
		}
	}

}
