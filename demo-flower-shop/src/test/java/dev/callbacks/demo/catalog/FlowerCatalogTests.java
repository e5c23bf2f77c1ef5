package dev.callbacks.demo.catalog;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link FlowerCatalog}.
 */
class FlowerCatalogTests {

	private final FlowerCatalog catalog = FlowerCatalog.load();

	@Test
	void loadsTheBundledCatalogue() {
		assertThat(this.catalog.currency()).isEqualTo("USD");
		assertThat(this.catalog.flowers()).hasSize(12);
		assertThat(this.catalog.occasions()).extracting(Occasion::id)
			.containsExactly("birthday", "anniversary", "wedding", "sympathy", "get-well", "thank-you");
		assertThat(this.catalog.flowers()).allSatisfy((flower) -> {
			assertThat(flower.colours()).isNotEmpty();
			assertThat(flower.occasions()).isNotEmpty()
				.allSatisfy((occasion) -> assertThat(this.catalog.findOccasion(occasion)).isPresent());
			assertThat(flower.meaning()).isNotBlank();
			assertThat(flower.pricePerStem()).isPositive();
		});
		Flower rose = this.catalog.findByName("rose").orElseThrow();
		assertThat(rose.pricePerStem()).isEqualByComparingTo(new BigDecimal("3.50"));
		assertThat(rose.stock()).isEqualTo(120);
		assertThat(rose.colours()).containsExactly("red", "pink", "white", "yellow");
	}

	@Test
	void findsFlowersByNamePluralOrAliasIgnoringCase() {
		assertThat(this.catalog.findByName("ROSE")).map(Flower::name).hasValue("Rose");
		assertThat(this.catalog.findByName("Roses")).map(Flower::name).hasValue("Rose");
		assertThat(this.catalog.findByName(" gerbera ")).map(Flower::name).hasValue("Gerbera Daisy");
		assertThat(this.catalog.findByName("Lilies")).map(Flower::name).hasValue("Lily");
		assertThat(this.catalog.findByName("pink roses")).map(Flower::name).hasValue("Rose");
		assertThat(this.catalog.findByName("poppy")).isEmpty();
	}

	@Test
	void findsFlowersByOccasionInCatalogueOrder() {
		assertThat(this.catalog.findByOccasion("birthday")).extracting(Flower::name)
			.containsExactly("Rose", "Tulip", "Sunflower", "Gerbera Daisy", "Carnation", "Peony", "Freesia");
		assertThat(this.catalog.findByOccasion("Funeral")).extracting(Flower::name)
			.containsExactly("Lily", "Carnation", "Chrysanthemum", "Lavender");
		assertThat(this.catalog.findByOccasion("graduation")).isEmpty();
	}

	@Test
	void findsFlowersByColour() {
		assertThat(this.catalog.findByColour("Blue")).extracting(Flower::name).containsExactly("Hydrangea");
		assertThat(this.catalog.findByColour("yellow")).extracting(Flower::name)
			.containsExactly("Rose", "Tulip", "Sunflower", "Gerbera Daisy", "Chrysanthemum", "Freesia");
		assertThat(this.catalog.findByColour("green")).isEmpty();
	}

	@Test
	void findsWhatFreeTextMentionsInOrder() {
		String text = "She loves Pink PEONIES, white lilies and gerbera daisies for her birthday";
		assertThat(this.catalog.mentionedFlowers(text)).extracting(Flower::name)
			.containsExactly("Peony", "Lily", "Gerbera Daisy");
		assertThat(this.catalog.mentionedColours(text)).containsExactly("pink", "white");
		assertThat(this.catalog.mentionedOccasions(text)).extracting(Occasion::id).containsExactly("birthday");
		// Whole words only: "rosemary" is not a rose, "redo" is not red.
		assertThat(this.catalog.mentionedFlowers("rosemary and thyme")).isEmpty();
		assertThat(this.catalog.mentionedColours("redo")).isEmpty();
	}

}
