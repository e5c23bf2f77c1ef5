#!/usr/bin/env bash
# Runs the benchmarks and writes raw results and the README's tables to benchmarks/results/.
#
#   benchmarks/run.sh quick   # ~8 min on 2 cores: 1 fork, 3×1 s warm-up, 5×1 s measurement
#   benchmarks/run.sh full    # ~30 min: 2 forks, 5×2 s warm-up, 10×2 s measurement
#   benchmarks/run.sh rounds  # ~20 min: 5 rounds of every ChatClient configuration (1 fork, 6×1 s warm-up,
#                             # 5×1 s), reported as medians: for a noisy machine (results/table-rounds.md)
#
# Builds the executable jar first (SKIP_BUILD=1 to reuse target/benchmarks.jar). Extra arguments go to JMH, e.g.
#   benchmarks/run.sh quick 'ChatClientBenchmark.stream' -p config=bare,starter_3h
# (then only the JMH part runs; the tables are still written).
set -euo pipefail

mode="${1:-quick}"
shift || true
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

case "$mode" in
	rounds) jmh=(-f 1 -wi 6 -w 1s -i 5 -r 1s); streams="" ;;
	quick) jmh=(-f 1 -wi 3 -w 1s -i 5 -r 1s); streams="1000,10000" ;;
	full) jmh=(-f 2 -wi 5 -w 2s -i 10 -r 2s); streams="1000,10000" ;;
	*) echo "usage: $0 quick|full|rounds [JMH arguments]" >&2; exit 2 ;;
esac

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
	(cd .. && ./mvnw -B -q -pl benchmarks -am package -DskipTests)
fi
jar="$here/target/benchmarks.jar"
mkdir -p results
json="results/jmh-$mode.json"
slope="results/jmh-$mode-token-slope.json"
concurrent="results/concurrent-$mode.jsonl"

{
	echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
	echo "nproc: $(nproc)"
	echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
	echo "memory: $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
	echo "java: $(java -version 2>&1 | head -1)"
	echo "jmh: ${jmh[*]} -prof gc"
	echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "results/machine-$mode.txt"

if [[ "$mode" == rounds ]]; then
	rm -rf results/rounds && mkdir -p results/rounds
	for round in 1 2 3 4 5; do
		echo "round $round of 5"
		java -jar "$jar" "${jmh[@]}" -prof gc -rf json -rff "results/rounds/round-$round.json" 'ChatClientBenchmark' \
			-p config=bare,bare_1_noop_advisor,bare_traced_model,starter_inert,starter_0h,starter_3h,starter_3h_advisor,starter_3h_final_model,spring_ai_obs,spring_ai_obs_3h
	done
	java -cp "$jar" dev.callbacks.benchmarks.Report results/rounds > results/table-rounds.md
	cat results/table-rounds.md
	exit 0
fi

if [[ $# -gt 0 ]]; then
	java -jar "$jar" "${jmh[@]}" -prof gc -rf json -rff "$json" "$@"
	java -cp "$jar" dev.callbacks.benchmarks.Report "$json" > "results/table-$mode.md"
	cat "results/table-$mode.md"
	exit 0
fi

# 1-4: call() and stream() of every configuration, LangChain4j peer; allocation with -prof gc.
java -jar "$jar" "${jmh[@]}" -prof gc -rf json -rff "$json" 'ChatClientBenchmark' 'LangChain4jBenchmark'

# Per-token allocation as a slope: the same streams at 100 and 1,000 tokens, so per-stream costs cancel out.
java -jar "$jar" "${jmh[@]}" -prof gc -rf json -rff "$slope" 'ChatClientBenchmark.stream' \
	-p config=bare,starter_inert,starter_0h,starter_3h -p tokens=100,1000

# 5: concurrent streams with per-request trackers, one JVM per configuration.
rm -f "$concurrent"
for config in bare starter_3h spring_ai_obs; do
	java -Xms4g -Xmx4g -cp "$jar" dev.callbacks.benchmarks.ConcurrentStreams "config=$config" "streams=$streams" \
		tokens=1000 "out=$concurrent"
done

{
	echo "Machine and settings:"
	echo
	sed 's/^/    /' "results/machine-$mode.txt"
	echo
	java -cp "$jar" dev.callbacks.benchmarks.Report "$json" "$concurrent"
	java -cp "$jar" dev.callbacks.benchmarks.Report "$slope"
	echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "results/table-$mode.md"
cat "results/table-$mode.md"
