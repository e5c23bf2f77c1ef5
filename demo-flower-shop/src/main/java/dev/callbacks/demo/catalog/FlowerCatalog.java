package dev.callbacks.demo.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.util.Assert;

/**
 * The shop's flowers and the occasions they suit, loaded from a JSON document (by default
 * the bundled {@value #DEFAULT_LOCATION}). Besides plain lookups it finds flowers,
 * occasions and colours mentioned in free text, which is what the offline model needs to
 * understand a customer.
 */
public final class FlowerCatalog {

	/** The classpath location of the bundled catalogue. */
	public static final String DEFAULT_LOCATION = "catalog/flowers.json";

	private final String currency;

	private final List<Flower> flowers;

	private final List<Occasion> occasions;

	private final Map<String, Flower> flowersByName;

	private final Map<Flower, Pattern> flowerPatterns;

	private final Map<Occasion, Pattern> occasionPatterns;

	private final Map<String, Pattern> colourPatterns;

	/**
	 * Create a catalogue from flowers and occasions.
	 * @param currency the ISO code of the currency prices are in
	 * @param flowers the flowers, in the order the shop recommends them
	 * @param occasions the occasions flowers may refer to
	 */
	public FlowerCatalog(String currency, List<Flower> flowers, List<Occasion> occasions) {
		Assert.hasText(currency, "currency must not be empty");
		Assert.notEmpty(flowers, "flowers must not be empty");
		Assert.notNull(occasions, "occasions must not be null");
		this.currency = currency;
		this.flowers = List.copyOf(flowers);
		this.occasions = List.copyOf(occasions);
		this.flowersByName = new LinkedHashMap<>();
		this.flowerPatterns = new LinkedHashMap<>();
		for (Flower flower : this.flowers) {
			Set<String> names = new LinkedHashSet<>();
			names.add(flower.singular());
			names.add(flower.plural().toLowerCase(Locale.ROOT));
			names.addAll(flower.aliases());
			for (String name : names) {
				Flower previous = this.flowersByName.putIfAbsent(name, flower);
				Assert.isTrue(previous == null || previous == flower,
						() -> "'" + name + "' names both " + previous.name() + " and " + flower.name());
			}
			this.flowerPatterns.put(flower, phrases(names));
		}
		this.occasionPatterns = new LinkedHashMap<>();
		for (Occasion occasion : this.occasions) {
			Set<String> keywords = new LinkedHashSet<>(occasion.keywords());
			keywords.add(occasion.id());
			this.occasionPatterns.put(occasion, phrases(keywords));
		}
		this.colourPatterns = new LinkedHashMap<>();
		this.flowers.stream()
			.flatMap((flower) -> flower.colours().stream())
			.distinct()
			.forEach((colour) -> this.colourPatterns.put(colour, phrases(Set.of(colour))));
	}

	/**
	 * Load the bundled catalogue from {@value #DEFAULT_LOCATION}.
	 * @return the catalogue
	 */
	public static FlowerCatalog load() {
		return load(new ClassPathResource(DEFAULT_LOCATION, FlowerCatalog.class.getClassLoader()));
	}

	/**
	 * Load a catalogue from a JSON resource shaped like the bundled one.
	 * @param resource the JSON document
	 * @return the catalogue
	 */
	public static FlowerCatalog load(Resource resource) {
		try (InputStream in = resource.getInputStream()) {
			Document document = JsonMapper.builder().build().readValue(in, Document.class);
			return new FlowerCatalog((document.currency() != null) ? document.currency() : "USD",
					(document.flowers() != null) ? document.flowers() : List.of(),
					(document.occasions() != null) ? document.occasions() : List.of());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the flower catalogue from " + resource, ex);
		}
	}

	/** The ISO code of the currency prices are in, e.g. {@code USD}. */
	public String currency() {
		return this.currency;
	}

	/** All flowers, in the order the shop recommends them. */
	public List<Flower> flowers() {
		return this.flowers;
	}

	/** All occasions. */
	public List<Occasion> occasions() {
		return this.occasions;
	}

	/** All colours flowers come in, in catalogue order. */
	public List<String> colours() {
		return List.copyOf(this.colourPatterns.keySet());
	}

	/**
	 * Find a flower by its name, plural or an alias, ignoring case ({@code "Roses"} finds
	 * the rose). Failing that, the first flower the text mentions, so that a tool
	 * argument such as {@code "pink roses"} still finds it.
	 * @param name the name to look up
	 * @return the flower, if the shop sells it
	 */
	public Optional<Flower> findByName(String name) {
		String key = normalize(name).trim();
		Flower flower = this.flowersByName.get(key);
		if (flower != null) {
			return Optional.of(flower);
		}
		return mentionedFlowers(key).stream().findFirst();
	}

	/**
	 * Find an occasion by its id or one of its keywords, ignoring case.
	 * @param idOrKeyword e.g. {@code get-well} or {@code funeral}
	 * @return the occasion, if known
	 */
	public Optional<Occasion> findOccasion(String idOrKeyword) {
		String key = normalize(idOrKeyword).trim();
		return this.occasions.stream()
			.filter((occasion) -> occasion.id().equals(key) || occasion.keywords().contains(key))
			.findFirst()
			.or(() -> mentionedOccasions(key).stream().findFirst());
	}

	/**
	 * The flowers that suit an occasion, in the order the shop recommends them.
	 * @param occasion an occasion id or keyword, ignoring case
	 * @return the flowers, empty if the occasion is unknown
	 */
	public List<Flower> findByOccasion(String occasion) {
		return findOccasion(occasion)
			.map((found) -> this.flowers.stream().filter((flower) -> flower.suits(found.id())).toList())
			.orElse(List.of());
	}

	/**
	 * The flowers that come in a colour.
	 * @param colour the colour, ignoring case
	 * @return the flowers, in the order the shop recommends them
	 */
	public List<Flower> findByColour(String colour) {
		String key = normalize(colour).trim();
		return this.flowers.stream().filter((flower) -> flower.hasColour(key)).toList();
	}

	/**
	 * The flowers a text mentions, by name, plural or alias, in the order they appear.
	 * @param text free text, e.g. a customer's message
	 * @return the flowers mentioned, without duplicates
	 */
	public List<Flower> mentionedFlowers(String text) {
		return inOrderOfAppearance(text, this.flowerPatterns);
	}

	/**
	 * The occasions a text mentions, in the order they appear.
	 * @param text free text, e.g. a customer's message
	 * @return the occasions mentioned, without duplicates
	 */
	public List<Occasion> mentionedOccasions(String text) {
		return inOrderOfAppearance(text, this.occasionPatterns);
	}

	/**
	 * The catalogue colours a text mentions, in the order they appear.
	 * @param text free text, e.g. a customer's message
	 * @return the colours mentioned (lower case), without duplicates
	 */
	public List<String> mentionedColours(String text) {
		return inOrderOfAppearance(text, this.colourPatterns);
	}

	private static <T> List<T> inOrderOfAppearance(String text, Map<T, Pattern> patterns) {
		String normalized = normalize(text);
		Map<T, Integer> positions = new LinkedHashMap<>();
		patterns.forEach((item, pattern) -> {
			Matcher matcher = pattern.matcher(normalized);
			if (matcher.find()) {
				positions.put(item, matcher.start());
			}
		});
		return positions.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByValue())
			.map(Map.Entry::getKey)
			.collect(Collectors.toCollection(ArrayList::new));
	}

	// One pattern per item: its phrases as whole words, longest first so that "gerbera
	// daisies" wins over "daisies" at the same position.
	private static Pattern phrases(Set<String> phrases) {
		String alternatives = phrases.stream()
			.sorted(Comparator.comparingInt(String::length).reversed())
			.map(Pattern::quote)
			.collect(Collectors.joining("|"));
		return Pattern.compile("(?<![\\p{L}\\p{N}])(?:" + alternatives + ")(?![\\p{L}\\p{N}])");
	}

	// Customers type curly apostrophes and mixed case; the patterns are lower case ASCII.
	static String normalize(String text) {
		return text.toLowerCase(Locale.ROOT).replace('\u2019', '\'').replace('\u2018', '\'');
	}

	@Override
	public String toString() {
		return "FlowerCatalog" + this.flowers.stream().map(Flower::name).toList();
	}

	/** The JSON document's shape. */
	record Document(@Nullable String currency, @Nullable List<Occasion> occasions, @Nullable List<Flower> flowers) {
	}

}
