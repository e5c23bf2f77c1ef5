package dev.callbacks.benchmarks;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns JMH JSON results (from {@code run.sh}) into the README's Markdown tables: time
 * and allocation per op, per token for streams, ratios and differences to the bare
 * {@code ChatClient}, and the targets of issue 15; also the medians of a directory of
 * rounds ({@code run.sh rounds}).
 * {@code java -cp benchmarks.jar dev.callbacks.benchmarks.Report results/jmh-quick.json [results/concurrent-quick.jsonl]}
 */
public final class Report {

	private static final String ALLOC = "gc.alloc.rate.norm";

	private final Map<String, Row> rows = new LinkedHashMap<>();

	private final StringBuilder out = new StringBuilder();

	private Report() {
	}

	public static void main(String[] args) throws Exception {
		Report report = new Report();
		ObjectMapper mapper = JsonMapper.builder().build();
		File input = new File(args[0]);
		if (input.isDirectory()) {
			report.medians(mapper, input);
		}
		else {
			for (JsonNode result : mapper.readTree(input)) {
				Row row = row(result);
				report.rows.put(row.key(), row);
			}
		}
		report.write();
		if (args.length > 1) {
			report.concurrent(mapper, new File(args[1]));
		}
		System.out.print(report.out);
	}

	private static Row row(JsonNode result) {
		Row row = new Row();
		row.benchmark = result.path("benchmark").asString().replaceFirst("^.*\\.(\\w+Benchmark\\.\\w+)$", "$1");
		row.config = result.path("params").path("config").asString();
		row.tokens = result.path("params").path("tokens").asInt(1);
		row.ns = result.path("primaryMetric").path("score").asDouble();
		row.nsError = result.path("primaryMetric").path("scoreError").asDouble();
		JsonNode alloc = result.path("secondaryMetrics").path(ALLOC);
		row.bytes = alloc.isMissingNode() ? Double.NaN : alloc.path("score").asDouble();
		return row;
	}

	// Rounds of the same configurations on a noisy machine (one JSON file per round):
	// each row is the median over the rounds, its ± half the spread of the rounds, and
	// its ratio to bare the median of the ratios within each round, so that a slow
	// spell of the machine that hits a whole round cancels out.
	private void medians(ObjectMapper mapper, File directory) throws Exception {
		File[] files = directory.listFiles((dir, name) -> name.endsWith(".json"));
		java.util.Arrays.sort(files);
		Map<String, List<Row>> byKey = new LinkedHashMap<>();
		Map<String, List<Double>> ratios = new LinkedHashMap<>();
		for (File file : files) {
			Map<String, Row> round = new LinkedHashMap<>();
			for (JsonNode result : mapper.readTree(file)) {
				Row row = row(result);
				round.put(row.key(), row);
				byKey.computeIfAbsent(row.key(), (key) -> new ArrayList<>()).add(row);
			}
			for (Row row : round.values()) {
				Row bare = round.get(row.benchmark + "/bare/" + row.tokens);
				if (bare != null) {
					ratios.computeIfAbsent(row.key(), (key) -> new ArrayList<>()).add(row.ns / bare.ns);
				}
			}
		}
		for (Map.Entry<String, List<Row>> entry : byKey.entrySet()) {
			List<Row> all = entry.getValue();
			Row first = all.get(0);
			Row median = new Row();
			median.benchmark = first.benchmark;
			median.config = first.config;
			median.tokens = first.tokens;
			List<Double> ns = all.stream().map((r) -> r.ns).sorted().toList();
			median.ns = median(ns);
			median.nsError = (ns.get(ns.size() - 1) - ns.get(0)) / 2;
			median.bytes = median(all.stream().map((r) -> r.bytes).sorted().toList());
			List<Double> roundRatios = ratios.get(entry.getKey());
			median.ratio = (roundRatios != null) ? median(roundRatios.stream().sorted().toList()) : Double.NaN;
			this.rows.put(entry.getKey(), median);
		}
		line("Median of %d rounds (`%s`); ± is half the spread of the rounds; ratios are the median of each round's "
				+ "own ratio to bare.", files.length, directory.getPath());
		line("");
	}

	private static double median(List<Double> sorted) {
		int n = sorted.size();
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

	private Row row(String benchmark, String config, int tokens) {
		return this.rows.get(benchmark + "/" + config + "/" + tokens);
	}

	private void write() {
		Row bareCall = row("ChatClientBenchmark.call", "bare", 1000);
		Row bareStream = row("ChatClientBenchmark.stream", "bare", 1000);
		if (bareCall == null || bareStream == null) {
			slope();
			return;
		}
		line("### `call()` — one request (ns/op; allocation B/op)");
		line("");
		line("| config | ns/op | ± | ratio to bare | Δ ns vs bare | B/op | Δ B vs bare |");
		line("|---|---:|---:|---:|---:|---:|---:|");
		for (Row r : select("ChatClientBenchmark.call", 1000)) {
			line("| %s | %s | %s | %s | %s | %s | %s |", r.config, n0(r.ns), n0(r.nsError), ratio(r, bareCall),
					diff(r.ns, bareCall.ns), n0(r.bytes), diff(r.bytes, bareCall.bytes));
		}
		line("");
		line("### `stream()` of %d tokens (the op is one stream; per token = op / tokens)", bareStream.tokens);
		line("");
		line("| config | µs/stream | ± | ns/token | ratio to bare | Δ ns/token vs bare | B/token | Δ B/token vs bare |");
		line("|---|---:|---:|---:|---:|---:|---:|---:|");
		for (Row r : select("ChatClientBenchmark.stream", 1000)) {
			double t = r.tokens;
			line("| %s | %s | %s | %s | %s | %s | %s | %s |", r.config, n1(r.ns / 1000), n1(r.nsError / 1000),
					n0(r.ns / t), ratio(r, bareStream), diff(r.ns / t, bareStream.ns / t), n0(r.bytes / t),
					diff(r.bytes / t, bareStream.bytes / t));
		}
		line("");
		List<Row> lc4j = new ArrayList<>();
		for (Row r : this.rows.values()) {
			if (r.benchmark.startsWith("LangChain4jBenchmark")) {
				lc4j.add(r);
			}
		}
		if (!lc4j.isEmpty()) {
			line("### LangChain4j 1.19 (`langchain4j-core`) peer, same answers, its own in-memory models");
			line("");
			line("| benchmark | config | ns/op | ± | ratio to lc4j_bare | Δ ns vs lc4j_bare | B/op | Δ B vs lc4j_bare |");
			line("|---|---|---:|---:|---:|---:|---:|---:|");
			for (Row r : lc4j) {
				Row base = row(r.benchmark, "lc4j_bare", r.tokens);
				line("| %s | %s | %s | %s | %s | %s | %s | %s |", r.benchmark, r.config, n0(r.ns), n0(r.nsError),
						ratio(r, base), diff(r.ns, base.ns), n0(r.bytes), diff(r.bytes, base.bytes));
			}
			line("");
		}
		slope();
		targets(bareCall, bareStream);
	}

	// Per-token allocation as the slope between two stream lengths: fixed per-stream
	// costs cancel out.
	private void slope() {
		List<Integer> lengths = new ArrayList<>();
		for (Row r : this.rows.values()) {
			if (r.benchmark.equals("ChatClientBenchmark.stream") && !lengths.contains(r.tokens)) {
				lengths.add(r.tokens);
			}
		}
		if (lengths.size() < 2) {
			return;
		}
		lengths.sort(null);
		int a = lengths.get(0);
		int b = lengths.get(lengths.size() - 1);
		Row bareA = row("ChatClientBenchmark.stream", "bare", a);
		Row bareB = row("ChatClientBenchmark.stream", "bare", b);
		if (bareA == null || bareB == null) {
			return;
		}
		double bareSlope = (bareB.bytes - bareA.bytes) / (b - a);
		double bareTime = (bareB.ns - bareA.ns) / (b - a);
		line("### Marginal cost of one more token (slope between %d- and %d-token streams; per-stream costs cancel)", a,
				b);
		line("");
		line("| config | B/token | Δ B/token vs bare | ns/token | Δ ns/token vs bare |");
		line("|---|---:|---:|---:|---:|");
		for (Row ra : select("ChatClientBenchmark.stream", a)) {
			Row rb = row("ChatClientBenchmark.stream", ra.config, b);
			if (rb == null) {
				continue;
			}
			double s = (rb.bytes - ra.bytes) / (b - a);
			double t = (rb.ns - ra.ns) / (b - a);
			line("| %s | %s | %s | %s | %s |", ra.config, n1(s), diff1(s, bareSlope), n0(t), diff(t, bareTime));
		}
		line("");
	}

	// Issue 15's targets, judged from the rows of this run (ratios within one run).
	private void targets(Row bareCall, Row bareStream) {
		Row call3 = row("ChatClientBenchmark.call", "starter_3h", 1000);
		Row callObs = row("ChatClientBenchmark.call", "spring_ai_obs", 1000);
		Row callObs3 = row("ChatClientBenchmark.call", "spring_ai_obs_3h", 1000);
		Row stream0 = row("ChatClientBenchmark.stream", "starter_0h", 1000);
		Row stream3 = row("ChatClientBenchmark.stream", "starter_3h", 1000);
		Row streamObs = row("ChatClientBenchmark.stream", "spring_ai_obs", 1000);
		Row streamObs3 = row("ChatClientBenchmark.stream", "spring_ai_obs_3h", 1000);
		Row streamInert = row("ChatClientBenchmark.stream", "starter_inert", 1000);
		Row streamFloor = row("ChatClientBenchmark.stream", "bare_1_noop_advisor", 1000);
		line("### Targets (issue 15)");
		line("");
		line("| target | measured | met? |");
		line("|---|---|---|");
		if (streamInert != null) {
			double r = ratioOf(streamInert, bareStream);
			String floor = (streamFloor != null) ? "; one no-op advisor: " + n2(ratioOf(streamFloor, bareStream)) + "×"
					: "";
			line("| `stream()` nothing listening ≤ 1.25× bare | %s×%s | %s |", n2(r), floor, met(r <= 1.25));
		}
		if (stream3 != null) {
			double r = ratioOf(stream3, bareStream);
			line("| `stream()` 3 handlers + tracker + meters ≤ 1.40× bare | %s× | %s |", n2(r), met(r <= 1.40));
		}
		if (stream3 != null && stream0 != null) {
			double perHandler = (stream3.ns - stream0.ns) / stream3.tokens / 3;
			line("| token dispatch ≤ 40 ns per handler per token ((3h − 0h) / 3 / tokens) | %s ns | %s |",
					n1(perHandler), met(perHandler <= 40));
		}
		if (call3 != null) {
			double r = ratioOf(call3, bareCall);
			line("| `call()` 3 handlers + tracker + meters ≤ 1.40× bare | %s× | %s |", n2(r), met(r <= 1.40));
		}
		if (callObs != null && callObs3 != null) {
			double added = ratioOf(callObs3, bareCall) / ratioOf(callObs, bareCall) - 1;
			line("| production, `call()`: starter adds ≤ 15 %% to Spring AI's observation | +%s %% (%s vs %s ns) | %s |",
					n0(added * 100), n0(callObs3.ns), n0(callObs.ns), met(added <= 0.15));
		}
		if (streamObs != null && streamObs3 != null) {
			double added = ratioOf(streamObs3, bareStream) / ratioOf(streamObs, bareStream) - 1;
			line("| production, `stream()`: starter adds ≤ 15 %% per token | +%s %% (%s vs %s ns/token) | %s |",
					n0(added * 100), n0(streamObs3.ns / streamObs3.tokens), n0(streamObs.ns / streamObs.tokens),
					met(added <= 0.15));
		}
		line("");
	}

	private static String met(boolean met) {
		return met ? "yes" : "**no**";
	}

	private void concurrent(ObjectMapper mapper, File file) throws Exception {
		line("### Concurrent streams, per-request trackers");
		line("");
		line("| config | streams | tokens/stream | subscribe ms | stream ms | Mtokens/s | heap before MB | in flight MB (KB/stream) | done, trackers held MB | after MB (Δ vs before) | trackers exact |");
		line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
		java.util.Map<String, Double> throughput = new java.util.HashMap<>();
		boolean exact = true;
		for (String text : java.nio.file.Files.readAllLines(file.toPath())) {
			if (text.isBlank()) {
				continue;
			}
			JsonNode r = mapper.readTree(text);
			throughput.put(r.path("config").asString() + "/" + r.path("streams").asInt(),
					r.path("tokensPerSecond").asDouble());
			exact &= r.path("trackersChecked").asInt() == 0 || r.path("exact").asBoolean();
			double mb = 1024 * 1024;
			line("| %s | %d | %d | %s | %s | %s | %s | %s (%s) | %s | %s (%s) | %s |", r.path("config").asString(),
					r.path("streams").asInt(), r.path("tokensPerStream").asInt(),
					n0(r.path("subscribeMillis").asDouble()), n0(r.path("streamMillis").asDouble()),
					n2(r.path("tokensPerSecond").asDouble() / 1e6), n1(r.path("heapBeforeBytes").asDouble() / mb),
					n1(r.path("heapInFlightBytes").asDouble() / mb),
					n1(r.path("heapInFlightPerStreamBytes").asDouble() / 1024),
					n1(r.path("heapDoneTrackersHeldBytes").asDouble() / mb),
					n1(r.path("heapAfterBytes").asDouble() / mb),
					n1(r.path("heapAfterMinusBeforeBytes").asDouble() / mb),
					(r.path("trackersChecked").asInt() > 0) ? (r.path("exact").asBoolean()
							? "yes, " + r.path("trackersChecked").asInt() + " of " + r.path("trackersChecked").asInt()
							: "**no**: " + r.path("problem").asString()) : "n/a (no starter)");
		}
		line("");
		Double bare = throughput.get("bare/10000");
		Double starter = throughput.get("starter_3h/10000");
		if (bare != null && starter != null) {
			double share = starter / bare;
			line("Target (issue 15): 10,000 concurrent streams with per-request trackers ≥ 75 %% of bare throughput, "
					+ "every tracker exact: %s %% (%s vs %s Mtokens/s), %s: %s.", n0(share * 100), n2(starter / 1e6),
					n2(bare / 1e6), exact ? "every tracker exact" : "**a tracker was wrong**",
					met(share >= 0.75 && exact));
			line("");
		}
	}

	private List<Row> select(String benchmark, int tokens) {
		List<Row> result = new ArrayList<>();
		for (Row r : this.rows.values()) {
			if (r.benchmark.equals(benchmark) && r.tokens == tokens) {
				result.add(r);
			}
		}
		return result;
	}

	private void line(String format, Object... args) {
		this.out.append(String.format(Locale.ROOT, format, args)).append('\n');
	}

	private static String ratio(Row row, @org.jspecify.annotations.Nullable Row base) {
		return (base == null) ? "" : n2(ratioOf(row, base));
	}

	private static double ratioOf(Row row, Row base) {
		return Double.isNaN(row.ratio) ? row.ns / base.ns : row.ratio;
	}

	private static String diff(double value, double base) {
		double d = value - base;
		return ((d >= 0) ? "+" : "") + n0(d);
	}

	private static String diff1(double value, double base) {
		double d = value - base;
		return ((d >= 0) ? "+" : "") + n1(d);
	}

	private static String n0(double d) {
		return Double.isNaN(d) ? "–" : String.format(Locale.ROOT, "%,.0f", d);
	}

	private static String n1(double d) {
		return Double.isNaN(d) ? "–" : String.format(Locale.ROOT, "%,.1f", d);
	}

	private static String n2(double d) {
		return String.format(Locale.ROOT, "%.2f", d);
	}

	static final class Row {

		String benchmark;

		String config;

		int tokens;

		double ns;

		double nsError;

		double bytes;

		// The median of the rounds' own ratios to bare, when the row is a median of
		// rounds.
		double ratio = Double.NaN;

		String key() {
			return this.benchmark + "/" + this.config + "/" + this.tokens;
		}

	}

}
