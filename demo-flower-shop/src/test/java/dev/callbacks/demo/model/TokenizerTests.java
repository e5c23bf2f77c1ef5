package dev.callbacks.demo.model;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Tokenizer}.
 */
class TokenizerTests {

	private static final Encoding O200K = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

	@Test
	void splitsPlainTextIntoOnePiecePerToken() {
		String text = "Pink roses are a lovely choice: they stand for love and admiration.";

		assertThat(Tokenizer.split(text)).hasSize(O200K.countTokensOrdinary(text))
			.satisfies((pieces) -> assertThat(String.join("", pieces)).isEqualTo(text));
		assertThat(Tokenizer.count(text)).isEqualTo(O200K.countTokensOrdinary(text));
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "I'm back \u2014 do you remember?", "\u6211\u59d0\u59d0\u660e\u5929\u8981\u8fc7\u751f\u65e5",
					"Roses \uD83C\uDF39 and tulips \uD83C\uDF37", "<|endoftext|> is plain text here", "" })
	void piecesConcatenateToTheTextEvenInsideMultiByteCharacters(String text) {
		assertThat(String.join("", Tokenizer.split(text))).isEqualTo(text);
		assertThat(Tokenizer.split(text)).hasSizeLessThanOrEqualTo(O200K.countTokensOrdinary(text))
			.allSatisfy((piece) -> assertThat(piece).doesNotContain("\uFFFD"));
	}

}
