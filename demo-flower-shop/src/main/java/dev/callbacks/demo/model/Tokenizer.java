package dev.callbacks.demo.model;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;

/**
 * Counts and splits text with JTokkit's {@code o200k_base}, the encoding of current
 * OpenAI models, so the offline model reports usage a real one would.
 */
final class Tokenizer {

	private static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

	private Tokenizer() {
	}

	/** The number of tokens in {@code text}, special tokens counted as plain text. */
	static int count(String text) {
		return text.isEmpty() ? 0 : ENCODING.countTokensOrdinary(text);
	}

	/**
	 * {@code text} split at its token boundaries: the pieces concatenate to exactly
	 * {@code text}. A token can end inside a multi-byte character; its bytes are then
	 * carried over to the next piece, so there may be fewer pieces than tokens.
	 */
	static List<String> split(String text) {
		List<String> pieces = new ArrayList<>();
		if (text.isEmpty()) {
			return pieces;
		}
		IntArrayList tokens = ENCODING.encodeOrdinary(text);
		ByteArrayOutputStream pending = new ByteArrayOutputStream();
		IntArrayList single = new IntArrayList(1);
		for (int i = 0; i < tokens.size(); i++) {
			single.clear();
			single.add(tokens.get(i));
			pending.writeBytes(ENCODING.decodeBytes(single));
			byte[] bytes = pending.toByteArray();
			int complete = completeLength(bytes);
			if (complete > 0) {
				pieces.add(new String(bytes, 0, complete, StandardCharsets.UTF_8));
				pending.reset();
				pending.write(bytes, complete, bytes.length - complete);
			}
		}
		if (pending.size() > 0) {
			pieces.add(pending.toString(StandardCharsets.UTF_8));
		}
		return pieces;
	}

	// The length of the longest prefix of UTF-8 bytes that does not end inside a
	// character.
	private static int completeLength(byte[] bytes) {
		int end = bytes.length;
		int start = end - 1;
		// Step back over at most three continuation bytes (10xxxxxx) to the lead byte.
		while (start >= 0 && end - start <= 4 && (bytes[start] & 0xC0) == 0x80) {
			start--;
		}
		if (start < 0) {
			return 0;
		}
		int lead = bytes[start] & 0xFF;
		int expected = (lead < 0x80) ? 1 : (lead >= 0xF0) ? 4 : (lead >= 0xE0) ? 3 : (lead >= 0xC0) ? 2 : 1;
		return (end - start >= expected) ? end : start;
	}

}
