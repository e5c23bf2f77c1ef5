package dev.callbacks.demo.model;

import java.math.BigDecimal;
import java.util.List;

import dev.callbacks.demo.catalog.Flower;
import dev.callbacks.demo.catalog.FlowerCatalog;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Grammar}.
 */
class GrammarTests {

	private final FlowerCatalog catalog = FlowerCatalog.load();

	private final Flower rose = this.catalog.findByName("rose").orElseThrow();

	private final Flower lavender = this.catalog.findByName("lavender").orElseThrow();

	@Test
	void joinsAListWithTheConjunctionBeforeTheLastItem() {
		assertThat(Grammar.join(List.of(), "and")).isEmpty();
		assertThat(Grammar.join(List.of("roses"), "and")).isEqualTo("roses");
		assertThat(Grammar.join(List.of("roses", "tulips"), "or")).isEqualTo("roses or tulips");
		assertThat(Grammar.join(List.of("roses", "tulips", "lilies"), "and")).isEqualTo("roses, tulips and lilies");
	}

	@Test
	void joinsSentencesSkippingEmptyOnes() {
		assertThat(Grammar.sentences("Congratulations!", "", "For a wedding, lilies."))
			.isEqualTo("Congratulations! For a wedding, lilies.");
	}

	@Test
	void capitalizesTheFirstLetterOnly() {
		assertThat(Grammar.capitalize("pink roses or tulips")).isEqualTo("Pink roses or tulips");
		assertThat(Grammar.capitalize("")).isEmpty();
	}

	@Test
	void putsTheRightArticleBeforeAnOccasion() {
		assertThat(Grammar.withArticle(this.catalog.findOccasion("birthday").orElseThrow())).isEqualTo("a birthday");
		assertThat(Grammar.withArticle(this.catalog.findOccasion("anniversary").orElseThrow()))
			.isEqualTo("an anniversary");
	}

	@Test
	void countsFlowersAndStemsOfAMassNoun() {
		assertThat(Grammar.counted(this.rose, 1)).isEqualTo("1 rose");
		assertThat(Grammar.counted(this.rose, 120)).isEqualTo("120 roses");
		assertThat(Grammar.counted(this.lavender, 1)).isEqualTo("1 stem of lavender");
		assertThat(Grammar.counted(this.lavender, 80)).isEqualTo("80 stems of lavender");
	}

	@Test
	void aMassNounTakesTheSingularVerbAndIt() {
		assertThat(Grammar.isMassNoun(this.lavender)).isTrue();
		assertThat(Grammar.isMassNoun(this.rose)).isFalse();
		assertThat(Grammar.verb(this.rose, "are", "is")).isEqualTo("are");
		assertThat(Grammar.verb(this.lavender, "are", "is")).isEqualTo("is");
		assertThat(Grammar.pronoun(this.rose)).isEqualTo("they");
		assertThat(Grammar.pronoun(this.lavender)).isEqualTo("it");
	}

	@Test
	void namesAFlowerByTheFirstOfTheCustomersColoursItComesIn() {
		assertThat(Grammar.colourFor(this.rose, List.of("blue", "pink", "red"))).isEqualTo("pink");
		assertThat(Grammar.colourFor(this.rose, List.of("blue"))).isNull();
		assertThat(Grammar.named(this.rose, "pink")).isEqualTo("pink roses");
		assertThat(Grammar.named(this.rose, null)).isEqualTo("roses");
	}

	@Test
	void writesMoneyInCentsRoundedHalfUp() {
		assertThat(Grammar.money(new BigDecimal("42"), "USD")).isEqualTo("$42.00");
		assertThat(Grammar.money(new BigDecimal("6.755"), "USD")).isEqualTo("$6.76");
		assertThat(Grammar.money(new BigDecimal("6.754"), "USD")).isEqualTo("$6.75");
		assertThat(Grammar.money(new BigDecimal("1.75"), "EUR")).isEqualTo("1.75 EUR");
	}

	@Test
	void cutsAnAnswerToTheWordLimitWithoutADanglingComma() {
		String answer = "For a birthday, I'd suggest roses (love and admiration), tulips (cheerful thoughts).";

		assertThat(Grammar.limitWords(answer, 0)).isEqualTo(answer);
		assertThat(Grammar.limitWords(answer, 12)).isEqualTo(answer);
		assertThat(Grammar.limitWords(answer, 11))
			.isEqualTo("For a birthday, I'd suggest roses (love and admiration), tulips (cheerful.");
		assertThat(Grammar.limitWords(answer, 3)).isEqualTo("For a birthday.");
		assertThat(Grammar.limitWords(answer, 9)).isEqualTo("For a birthday, I'd suggest roses (love and admiration).");
		assertThat(Grammar.limitWords("Roses: love; tulips", 1)).isEqualTo("Roses.");
		assertThat(Grammar.limitWords("Roses; tulips", 1)).isEqualTo("Roses.");
	}

}
