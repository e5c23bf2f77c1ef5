package dev.callbacks.ledger;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LedgerJsonTests {

	@Test
	void tagsAreAJsonArray() {
		assertThat(LedgerJson.tags(List.of("a", "b\"c"))).isEqualTo("[\"a\",\"b\\\"c\"]");
		assertThat(LedgerJson.tags(List.of())).isEqualTo("[]");
	}

	@Test
	void metadataValuesBecomeTheirJsonCounterparts() {
		Map<String, Object> metadata = new LinkedHashMap<>();
		metadata.put("s", "line\nbreak\t\u0001");
		metadata.put("i", 3);
		metadata.put("d", 2.5);
		metadata.put("nan", Double.NaN);
		metadata.put("big", new BigDecimal("1E+3"));
		metadata.put("b", true);
		metadata.put("list", List.of(1, "x"));
		metadata.put("map", Map.of("k", "v"));
		metadata.put("array", new Object[] { null, 1 });
		metadata.put("other", new StringBuilder("sb"));
		metadata.put("object", new Object() {
			@Override
			public String toString() {
				return "custom";
			}
		});
		assertThat(LedgerJson.metadata(metadata)).isEqualTo("{\"s\":\"line\\nbreak\\t\\u0001\",\"i\":3,\"d\":2.5,"
				+ "\"nan\":\"NaN\",\"big\":1000,\"b\":true,\"list\":[1,\"x\"],\"map\":{\"k\":\"v\"},\"array\":[null,1],\"other\":\"sb\","
				+ "\"object\":\"custom\"}");
	}

	@Test
	void aCycleIsCutOff() {
		Map<String, Object> cyclic = new LinkedHashMap<>();
		cyclic.put("self", cyclic);
		assertThat(LedgerJson.metadata(cyclic)).startsWith("{\"self\":{\"self\":").endsWith("\"...\"}}}}}}}}");
	}

}
