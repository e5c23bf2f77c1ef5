package dev.callbacks.benchmarks;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.callbacks.budget.Admission;
import dev.callbacks.budget.Budget;
import dev.callbacks.budget.BudgetEnforcer;
import dev.callbacks.budget.BudgetStore;
import dev.callbacks.budget.InMemoryBudgetStore;
import dev.callbacks.budget.RoundRequest;
import dev.callbacks.budget.Scope;
import dev.callbacks.budget.redis.RedisBudgetStore;
import dev.callbacks.event.RunIdentity;
import dev.callbacks.usage.TokenUsage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The budget check of one model round: admit (reserve the estimate) then settle (replace
 * it with the usage), with a per-request budget and a tenant budget per day, over the
 * in-memory store or Redis on loopback ({@code redis-server} started by the benchmark on
 * a free port). Tenants rotate over 1,000 keys. {@code admitSettle} is the blocking path
 * ({@code call()}), {@code admitSettleAsync} the non-blocking one (streams). Each trial
 * checks at the end that rounds were settled.
 * <p>
 * On a shared, loaded machine the wall-clock score includes time the thread waited for a
 * core; each iteration also prints the benchmark thread's CPU time per op
 * ({@code cpu ns/op}), which does not.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class BudgetBenchmark {

	private static final TokenUsage USAGE = TokenUsage.of(1_200, 300);

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	@Param({ "memory", "redis" })
	public String store;

	private BudgetEnforcer enforcer;

	private RoundRequest[] rounds;

	private long settled;

	private Process redis;

	private Path redisDir;

	private LettuceConnectionFactory connectionFactory;

	private int next;

	private long thread;

	private long cpuStart;

	private long opsStart;

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		BudgetStore budgetStore = switch (this.store) {
			case "memory" -> new InMemoryBudgetStore();
			case "redis" -> startRedis();
			default -> throw new IllegalArgumentException(this.store);
		};
		this.enforcer = BudgetEnforcer.builder()
			.budgets(List.of(Budget.tokens(1_000_000_000_000L).per(Scope.TENANT).daily().named("tenant-daily")))
			.store(budgetStore)
			.build();
		List<Budget> perRequest = List.of(Budget.tokens(1_000_000_000L).perRequest());
		this.rounds = new RoundRequest[1_000];
		for (int i = 0; i < this.rounds.length; i++) {
			this.rounds[i] = new RoundRequest("flower-shop", new RunIdentity("user-" + i, "tenant-" + i, null),
					"request-" + i, "gpt-4o-mini", 1_200, 1_024, perRequest);
		}
	}

	@Setup(Level.Iteration)
	public void startIteration() {
		this.cpuStart = (this.thread != 0) ? THREADS.getThreadCpuTime(this.thread) : -1;
		this.opsStart = this.settled;
	}

	@TearDown(Level.Iteration)
	public void endIteration() {
		if (this.cpuStart >= 0 && this.thread != 0 && this.settled > this.opsStart) {
			long cpu = THREADS.getThreadCpuTime(this.thread) - this.cpuStart;
			System.out.printf("  [cpu %,.0f ns/op over %,d ops]%n", (double) cpu / (this.settled - this.opsStart),
					this.settled - this.opsStart);
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() throws Exception {
		if (this.settled == 0) {
			throw new IllegalStateException("no round was settled");
		}
		if (this.connectionFactory != null) {
			this.connectionFactory.destroy();
		}
		if (this.redis != null) {
			this.redis.destroy();
			this.redis.waitFor(10, TimeUnit.SECONDS);
			for (File file : this.redisDir.toFile().listFiles()) {
				file.delete();
			}
			Files.deleteIfExists(this.redisDir);
		}
	}

	@Benchmark
	public long admitSettle() {
		RoundRequest round = nextRound();
		Admission admission = this.enforcer.admit(round);
		admission.settle(USAGE, null);
		return ++this.settled;
	}

	@Benchmark
	public long admitSettleAsync() {
		RoundRequest round = nextRound();
		this.enforcer.admitAsync(round).flatMap(admission -> admission.settleAsync(USAGE, null)).block();
		return ++this.settled;
	}

	private RoundRequest nextRound() {
		this.thread = Thread.currentThread().getId();
		RoundRequest round = this.rounds[this.next];
		this.next = (this.next + 1) % this.rounds.length;
		// Requests end, as the engine will say: their per-request counts go.
		this.enforcer.requestEnded(round.requestKey());
		return round;
	}

	private BudgetStore startRedis() throws IOException, InterruptedException {
		String binary = new File("/usr/bin/redis-server").canExecute() ? "/usr/bin/redis-server" : "redis-server";
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		this.redisDir = Files.createTempDirectory("budget-bench-redis");
		this.redis = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir",
				this.redisDir.toString(), "--save", "", "--appendonly", "no")
			.redirectErrorStream(true)
			.redirectOutput(this.redisDir.resolve("redis.log").toFile())
			.start();
		this.connectionFactory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
		while (true) {
			try {
				this.connectionFactory.getConnection().ping();
				break;
			}
			catch (RuntimeException ex) {
				if (System.nanoTime() > deadline || !this.redis.isAlive()) {
					throw new IllegalStateException("redis-server did not start (apt-get install -y redis-server)", ex);
				}
				Thread.sleep(50);
			}
		}
		return new RedisBudgetStore(this.connectionFactory, "bench:", Duration.ofSeconds(2), Clock.systemUTC());
	}

}
