package dev.callbacks.demo.grafana;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shipped Grafana dashboard, read from its JSON model: the panels with their queries,
 * and the template variables.
 *
 * @param json the whole model
 * @param panels the panels that query, rows left out (and the panels of collapsed rows
 * taken in)
 */
record Dashboard(JsonNode json, List<Panel> panels) {

	/** Where the demo keeps it, relative to the module. */
	static final Path LOCATION = Path.of("grafana", "llm-dashboard.json");

	private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)\\}?");

	static Dashboard read() throws IOException {
		JsonNode json = JsonMapper.builder().build().readTree(Files.readString(LOCATION));
		List<Panel> panels = new ArrayList<>();
		for (JsonNode panel : json.path("panels")) {
			if (panel.path("type").asString("").equals("row")) {
				panel.path("panels").forEach((child) -> panels.add(Panel.of(child)));
			}
			else {
				panels.add(Panel.of(panel));
			}
		}
		return new Dashboard(json, List.copyOf(panels));
	}

	/**
	 * A query as Grafana would send it: {@code $__rate_interval} and {@code $__range} are
	 * the window, and every template variable is "All" ({@code .*}).
	 */
	static String substitute(String expr, Duration window) {
		Matcher matcher = VARIABLE.matcher(expr);
		StringBuilder result = new StringBuilder();
		while (matcher.find()) {
			String value = switch (matcher.group(1)) {
				case "__rate_interval", "__range", "__interval" -> window.toMillis() + "ms";
				case "model", "client" -> ".*";
				default -> throw new IllegalArgumentException(
						"A variable the test does not know: " + matcher.group() + " in " + expr);
			};
			matcher.appendReplacement(result, Matcher.quoteReplacement(value));
		}
		matcher.appendTail(result);
		return result.toString();
	}

	/** The template variables of type {@code query}. */
	List<JsonNode> queryVariables() {
		List<JsonNode> variables = new ArrayList<>();
		this.json.path("templating").path("list").forEach((variable) -> {
			if (variable.path("type").asString("").equals("query")) {
				variables.add(variable);
			}
		});
		return variables;
	}

	/**
	 * A panel.
	 *
	 * @param json the panel's model
	 * @param id its id
	 * @param title its title
	 * @param targets its queries
	 */
	record Panel(JsonNode json, int id, String title, List<Target> targets) {

		static Panel of(JsonNode json) {
			List<Target> targets = new ArrayList<>();
			json.path("targets")
				.forEach((target) -> targets
					.add(new Target(target.path("refId").asString(""), target.path("expr").asString(""))));
			return new Panel(json, json.path("id").asInt(-1), json.path("title").asString(""), List.copyOf(targets));
		}

	}

	/**
	 * A panel's query.
	 *
	 * @param refId its id in the panel
	 * @param expr the PromQL, with template variables
	 */
	record Target(String refId, String expr) {
	}

}
