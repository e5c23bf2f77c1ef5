package dev.callbacks.demo.grafana;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped dashboard is a Grafana JSON model that imports anywhere: one Prometheus
 * data source variable that every panel and query uses, panels that fit the grid without
 * overlapping, and a check in {@link PanelChecks} for every query (run by
 * {@link DashboardQueryTests}).
 */
class DashboardJsonTests {

	private static final String DATASOURCE = "${datasource}";

	@Test
	void importsWithoutAFixedDataSource() throws IOException {
		JsonNode json = Dashboard.read().json();

		assertThat(json.path("id").isNull()).as("no id, so that import creates one").isTrue();
		assertThat(json.path("uid").asString("")).isNotBlank();
		assertThat(json.path("title").asString("")).isNotBlank();
		assertThat(json.path("schemaVersion").asInt(0)).isPositive();
		List<JsonNode> datasources = new ArrayList<>();
		json.path("templating").path("list").forEach((variable) -> {
			if (variable.path("type").asString("").equals("datasource")) {
				datasources.add(variable);
			}
		});
		assertThat(datasources).singleElement().satisfies((variable) -> {
			assertThat(variable.path("name").asString("")).isEqualTo("datasource");
			assertThat(variable.path("query").asString("")).isEqualTo("prometheus");
		});
	}

	@Test
	void everyPanelQueryAndVariableUsesTheDataSourceVariable() throws IOException {
		Dashboard dashboard = Dashboard.read();

		assertThat(dashboard.panels()).isNotEmpty().allSatisfy((panel) -> {
			assertThat(panel.json().path("datasource").path("type").asString("")).isEqualTo("prometheus");
			assertThat(panel.json().path("datasource").path("uid").asString("")).isEqualTo(DATASOURCE);
			assertThat(panel.targets()).as(panel.title()).isNotEmpty();
			panel.json()
				.path("targets")
				.forEach((target) -> assertThat(target.path("datasource").path("uid").asString(""))
					.isEqualTo(DATASOURCE));
		});
		assertThat(dashboard.queryVariables()).isNotEmpty()
			.allSatisfy((variable) -> assertThat(variable.path("datasource").path("uid").asString(""))
				.isEqualTo(DATASOURCE));
	}

	@Test
	void panelsHaveUniqueIdsAndTitlesAndDoNotOverlap() throws IOException {
		JsonNode json = Dashboard.read().json();
		Set<Integer> ids = new HashSet<>();
		Set<String> titles = new HashSet<>();
		List<int[]> boxes = new ArrayList<>();
		for (JsonNode panel : json.path("panels")) {
			assertThat(ids.add(panel.path("id").asInt(-1))).as("unique id of %s", panel.path("title")).isTrue();
			assertThat(titles.add(panel.path("title").asString(""))).as("unique title %s", panel.path("title"))
				.isTrue();
			JsonNode grid = panel.path("gridPos");
			int[] box = { grid.path("x").asInt(), grid.path("y").asInt(), grid.path("w").asInt(),
					grid.path("h").asInt() };
			assertThat(box[0] + box[2]).as("%s fits the 24 columns", panel.path("title")).isBetween(1, 24);
			for (int[] other : boxes) {
				boolean overlap = box[0] < other[0] + other[2] && other[0] < box[0] + box[2]
						&& box[1] < other[1] + other[3] && other[1] < box[1] + box[3];
				assertThat(overlap).as("%s overlaps another panel", panel.path("title")).isFalse();
			}
			boxes.add(box);
		}
	}

	@Test
	void everyQueryHasACheckAndEveryCheckAQuery() throws IOException {
		Dashboard dashboard = Dashboard.read();
		Set<String> keys = new HashSet<>();
		for (Dashboard.Panel panel : dashboard.panels()) {
			for (Dashboard.Target target : panel.targets()) {
				assertThat(keys.add(PanelChecks.key(panel, target))).isTrue();
				assertThat(target.expr()).isNotBlank();
				// Only variables the query test knows how to fill in.
				assertThat(Dashboard.substitute(target.expr(), Duration.ofMinutes(5))).doesNotContain("$");
			}
		}

		assertThat(PanelChecks.all().keySet()).containsExactlyInAnyOrderElementsOf(keys);
	}

}
