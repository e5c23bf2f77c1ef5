package dev.callbacks.handlers;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Set;

import dev.callbacks.event.CallbackEvent;

import org.springframework.util.Assert;

/**
 * Appends one line per event to a file: time, event, run identity and what happened
 * (without prompt or completion text unless asked). One event is one line whatever it
 * carries: line breaks and other control characters in names, tags, metadata and text are
 * escaped. Thread-safe: concurrent runs never interleave within a line. Each line is
 * written through at once, so the file is current while the application runs;
 * {@link #close()} releases it.
 * <p>
 * When a line would take the file past {@code maxSize} bytes, the file is rotated:
 * {@code output.log} becomes {@code output.log.1}, {@code .1} becomes {@code .2} and so
 * on, and only {@code maxHistory} rotated files are kept. On POSIX file systems the file
 * and its rotated copies are readable and writable by their owner only
 * ({@code rw-------}).
 *
 * <pre>
 * 2026-11-25T19:40:34.123Z chain_start name=chat_client run=0193… tags=[birthday]
 * </pre>
 */
public class FileCallbackHandler extends EventLineHandler implements Closeable {

	/** Default size past which the file is rotated: 10 MB, as Spring Boot's log files. */
	public static final long DEFAULT_MAX_SIZE = 10L * 1024 * 1024;

	/** Default number of rotated files kept: 7, as Spring Boot's log files. */
	public static final int DEFAULT_MAX_HISTORY = 7;

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

	private static final byte[] LINE_SEPARATOR = System.lineSeparator().getBytes(StandardCharsets.UTF_8);

	private final Path path;

	private final long maxSize;

	private final int maxHistory;

	private final boolean posix;

	private final Object lock = new Object();

	// Guarded by "lock".
	private OutputStream out;

	private long size;

	private boolean closed;

	/**
	 * Appends to {@code path} without prompt or completion text, rotating at
	 * {@link #DEFAULT_MAX_SIZE} and keeping {@link #DEFAULT_MAX_HISTORY} rotated files;
	 * creates the file (not its folders).
	 */
	public FileCallbackHandler(Path path) {
		this(path, false);
	}

	/**
	 * Appends to {@code path}, rotating at {@link #DEFAULT_MAX_SIZE} and keeping
	 * {@link #DEFAULT_MAX_HISTORY} rotated files; creates the file (not its folders).
	 * @param includeContent whether to write prompt and completion text (and tool input
	 * and output, and exception messages)
	 * @throws UncheckedIOException when the file cannot be opened for appending
	 */
	public FileCallbackHandler(Path path, boolean includeContent) {
		this(path, includeContent, DEFAULT_MAX_SIZE, DEFAULT_MAX_HISTORY);
	}

	/**
	 * Appends to {@code path}, creating the file (not its folders).
	 * @param includeContent whether to write prompt and completion text (and tool input
	 * and output, and exception messages)
	 * @param maxSize the size in bytes past which the file is rotated (a single longer
	 * line still goes into a file of its own)
	 * @param maxHistory the number of rotated files kept; 0: the file starts afresh
	 * @throws UncheckedIOException when the file cannot be opened for appending, or made
	 * readable by its owner only
	 */
	public FileCallbackHandler(Path path, boolean includeContent, long maxSize, int maxHistory) {
		super(includeContent);
		Assert.notNull(path, "path must not be null");
		Assert.isTrue(maxSize > 0, "maxSize must be positive");
		Assert.isTrue(maxHistory >= 0, "maxHistory must not be negative");
		this.path = path;
		this.maxSize = maxSize;
		this.maxHistory = maxHistory;
		this.posix = path.getFileSystem().supportedFileAttributeViews().contains("posix");
		try {
			this.out = open();
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
		byte[] line = (Instant.now() + " " + this.formatter.describeWithRun(event)).getBytes(StandardCharsets.UTF_8);
		synchronized (this.lock) {
			if (this.closed) {
				throw new IllegalStateException("Closed: " + this.path.toAbsolutePath());
			}
			try {
				long length = line.length + LINE_SEPARATOR.length;
				if (this.size > 0 && this.size + length > this.maxSize) {
					rotate();
				}
				// One write per line, straight to the file: nothing to flush.
				byte[] bytes = new byte[(int) length];
				System.arraycopy(line, 0, bytes, 0, line.length);
				System.arraycopy(LINE_SEPARATOR, 0, bytes, line.length, LINE_SEPARATOR.length);
				this.out.write(bytes);
				this.size += length;
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot append to " + this.path.toAbsolutePath(), ex);
			}
		}
	}

	@Override
	public void close() throws IOException {
		synchronized (this.lock) {
			this.closed = true;
			this.out.close();
		}
	}

	// Guarded by "lock".
	private OutputStream open() throws IOException {
		FileAttribute<?>[] attributes = this.posix
				? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(OWNER_ONLY) } : new FileAttribute<?>[0];
		// Created owner-only from the start, so that no line is ever readable by others.
		SeekableByteChannel channel = Files.newByteChannel(this.path,
				Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), attributes);
		try {
			// A file that was already there (an older version, another tool) is narrowed
			// too.
			ownerOnly(this.path);
			this.size = channel.size();
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
		}
		return Channels.newOutputStream(channel);
	}

	// Guarded by "lock".
	private void rotate() throws IOException {
		this.out.close();
		try {
			// Left over from a larger max-history.
			int extra = this.maxHistory + 1;
			while (Files.deleteIfExists(rotated(extra))) {
				extra++;
			}
			if (this.maxHistory == 0) {
				Files.delete(this.path);
			}
			else {
				for (int i = this.maxHistory - 1; i >= 1; i--) {
					Path from = rotated(i);
					if (Files.exists(from)) {
						Files.move(from, rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
					}
				}
				Files.move(this.path, rotated(1), StandardCopyOption.REPLACE_EXISTING);
				ownerOnly(rotated(1));
			}
		}
		finally {
			// Whatever happened, keep appending somewhere.
			this.out = open();
		}
	}

	private Path rotated(int index) {
		return this.path.resolveSibling(this.path.getFileName() + "." + index);
	}

	private void ownerOnly(Path file) throws IOException {
		if (this.posix) {
			Files.setPosixFilePermissions(file, OWNER_ONLY);
		}
	}

}
