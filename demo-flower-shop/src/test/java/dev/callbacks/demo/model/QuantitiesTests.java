package dev.callbacks.demo.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Quantities}.
 */
class QuantitiesTests {

	@ParameterizedTest(name = "\"{0}\" is {1} stems")
	@CsvSource(delimiter = '|', textBlock = """
			how much is a dozen roses?               | 12
			how much are two dozen tulips?           | 24
			cost of half a dozen peonies             | 6
			half dozen lilies please                 | 6
			how much for 15 sunflowers?              | 15
			how much for forty daisies?              | 40
			quote me a bouquet of carnations         | 12
			how much are roses?                      | 1
			how much are 0 roses?                    | 1
			price for $30 of roses                   | 1
			price for 30 dollars of roses            | 1
			how much are roses, under 8 words        | 1
			5 roses for 20 usd, in no more than 9 words | 5
			""")
	void readsTheNumberOfStems(String text, int stems) {
		assertThat(Quantities.stems(text)).isEqualTo(stems);
	}

	@ParameterizedTest(name = "\"{0}\" asks for {1} suggestions")
	@CsvSource(delimiter = '|', textBlock = """
			name three flowers for a birthday        | 3
			top 5 for a birthday                     | 5
			suggest two flowers for a wedding        | 2
			a couple of ideas for a birthday         | 2
			recommend six flowers                    | 6
			recommend ten flowers                    | 3
			recommend 7 flowers                      | 3
			which flowers suit a birthday?           | 3
			birthday flowers in under 50 words       | 3
			birthday flowers for $4                  | 3
			""")
	void readsTheNumberOfSuggestions(String text, int suggestions) {
		assertThat(Quantities.suggestions(text)).isEqualTo(suggestions);
	}

	@ParameterizedTest(name = "\"{0}\" limits the answer to {1} words")
	@CsvSource(delimiter = '|', textBlock = """
			name three, under 50 words               | 49
			in less than 12 words                    | 11
			fewer than twenty words                  | 19
			no more than 30 words                    | 30
			not more than 30 words                   | 30
			at most seven words                      | 7
			max 10 words                             | 10
			maximum 10 words                         | 10
			within fifteen words                     | 15
			in 4 words                               | 4
			in one word                              | 1
			under 1 word                             | 1
			which flowers suit a birthday?           | 0
			under 50 roses                           | 0
			""")
	void readsTheWordLimit(String text, int limit) {
		assertThat(Quantities.wordLimit(text)).isEqualTo(limit);
	}

	@ParameterizedTest(name = "\"{0}\" names a count: {1}")
	@CsvSource(delimiter = '|', textBlock = """
			two flowers in pink?                     | true
			a couple in pink                         | true
			what do you have in purple?              | false
			what do you have in purple, under 9 words | false
			something in pink for $20                | false
			""")
	void tellsWhetherAMessageNamesACount(String text, boolean count) {
		assertThat(Quantities.hasCount(text)).isEqualTo(count);
	}

}
