package dev.gantry.bench;

import dev.gantry.catalog.Price;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.GatewayConfig.DatabaseSettings;
import dev.gantry.server.Gateway;
import dev.gantry.store.Database;
import dev.gantry.store.RollupRepository;
import dev.gantry.usage.TokenUsage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The console's dashboard against a month of usage: {@code prepare} writes N usage rows (spread over
 * the 30 days before now, ~1,000 keys of 200 users in 20 teams, 8 models; one key in five carries
 * most of the traffic and each key mostly uses one model) into an H2 file database and times the
 * roll-up; {@code measure}, in a fresh JVM so that caches start cold, starts Gantry in-process on that
 * database and times the month's dashboard routes over HTTP: the first call (cold) and the median
 * of the next ones (warm). {@code bench/run --only dashboard} runs both.
 */
public final class DashboardBench {
    private record ModelSpec(String name, String provider, Price price) {}

    private static final List<ModelSpec> MODELS = List.of(
            new ModelSpec("deepseek-v3.2", "deepseek", new Price(280_000, 420_000, 28_000)),
            new ModelSpec("qwen3-coder", "together", new Price(2_000_000, 2_000_000, 2_000_000)),
            new ModelSpec("glm-4.6", "zai", new Price(600_000, 2_200_000, 110_000)),
            new ModelSpec("kimi-k2", "moonshot", new Price(600_000, 2_500_000, 150_000)),
            new ModelSpec("llama-3.3-70b", "vllm-a", new Price(590_000, 790_000, 590_000)),
            new ModelSpec("gpt-5", "openai", new Price(1_250_000, 10_000_000, 125_000)),
            new ModelSpec("claude-sonnet-4-5", "anthropic", new Price(3_000_000, 15_000_000, 300_000)),
            new ModelSpec("gemini-2.5-flash", "google", new Price(300_000, 2_500_000, 75_000)));
    private static final int KEYS = 1_000, USERS = 200, TEAMS = 20;
    private static final String ADMIN_KEY = "sk-gantry-dashboard-bench-admin-0123456789";
    private static final int ROWS_PER_STATEMENT = 500;

    private DashboardBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) flags.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        Path dir = Path.of(flags.getOrDefault("dir", "bench/target/dashboard"));
        long rows = Long.parseLong(flags.getOrDefault("rows", "10000000"));
        Path results = Path.of(flags.getOrDefault("out", "bench/results/dashboard.md"));
        Files.createDirectories(dir);
        Files.createDirectories(results.getParent());
        String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("usage") + ";MAX_COMPACT_TIME=0";
        switch (flags.getOrDefault("phase", "prepare")) {
            case "prepare" -> prepare(url, rows, results);
            // H2 hands back a query's previous result while its tables are unchanged, which they are not
            // on a gateway that is serving traffic (the roll-ups move every few seconds): off, so that
            // warm figures are queries, not that cache
            case "measure" -> measure(url + ";OPTIMIZE_REUSE_RESULTS=FALSE", dir, results,
                    Integer.parseInt(flags.getOrDefault("runs", "5")));
            default -> throw new IllegalArgumentException("--phase prepare|measure");
        }
    }

    private static void prepare(String url, long rows, Path results) throws Exception {
        try (Database db = Database.open(new DatabaseSettings(url, null, null, 2))) {
            long stored = count(db, "SELECT COUNT(*) FROM usage_records");
            Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
            if (stored != rows) {
                try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                    s.execute("TRUNCATE TABLE usage_records");
                    s.execute("TRUNCATE TABLE usage_rollup_hourly");
                    s.execute("TRUNCATE TABLE usage_rollup_daily");
                }
                long t0 = System.nanoTime();
                generate(db, rows, end.minus(Duration.ofDays(30)), end);
                log("generated %,d rows in %.1f s", rows, seconds(t0));
            } else {
                log("reusing the %,d rows already generated", stored);
            }
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("TRUNCATE TABLE usage_rollup_hourly");
                s.execute("TRUNCATE TABLE usage_rollup_daily");
            }
            var rollups = new RollupRepository(db.dataSource());
            Instant from = rollups.oldestUsage().orElseThrow();
            long t0 = System.nanoTime();
            rollups.recompute(from, Instant.now().plus(Duration.ofHours(1)));
            double rollupS = seconds(t0);
            long hourly = count(db, "SELECT COUNT(*) FROM usage_rollup_hourly");
            long daily = count(db, "SELECT COUNT(*) FROM usage_rollup_daily");
            log("rolled up in %.1f s: %,d hourly rows, %,d daily rows", rollupS, hourly, daily);
            Files.writeString(results, """
                    # Dashboard benchmark

                    `bench/run --only dashboard --rows %d`, %s, revision %s

                    | what | figure |
                    |---|---|
                    | usage rows (30 days, %d keys, %d users, %d teams, %d models) | %,d |
                    | roll-up of the whole month from the raw rows | %.1f s (%,d hourly rows, %,d daily rows) |
                    """.formatted(rows, LocalDate.now(ZoneOffset.UTC), revision(), KEYS, USERS, TEAMS, MODELS.size(), rows,
                    rollupS, hourly, daily));
        }
    }

    /** Rows in time order, as the gateway writes them (request ids start with their time). */
    private static void generate(Database db, long rows, Instant from, Instant to) throws SQLException {
        var random = new SplittableRandom(42);
        long spanMillis = to.toEpochMilli() - from.toEpochMilli();
        String columns = "request_id, ts, usage_day, key_id, user_id, team_id, endpoint, model, served_model, deployment, "
                + "input_tokens, output_tokens, cached_input_tokens, estimated, cost_nanos, http_status, outcome, latency_ms, ttft_ms, stream";
        String one = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        String sql = "INSERT INTO usage_records (" + columns + ") VALUES " + String.join(", ", java.util.Collections.nCopies(ROWS_PER_STATEMENT, one));
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            c.setAutoCommit(false);
            long written = 0;
            while (written < rows) {
                int n = (int) Math.min(ROWS_PER_STATEMENT, rows - written);
                PreparedStatement statement = n == ROWS_PER_STATEMENT ? ps
                        : c.prepareStatement("INSERT INTO usage_records (" + columns + ") VALUES "
                        + String.join(", ", java.util.Collections.nCopies(n, one)));
                int p = 1;
                for (int i = 0; i < n; i++) {
                    long millis = from.toEpochMilli() + (spanMillis * (written + i)) / rows;
                    p = bindRow(statement, p, random, millis);
                }
                statement.executeUpdate();
                if (statement != ps) statement.close();
                written += n;
                if (written % 100_000 == 0) {
                    c.commit();
                    if (written % 1_000_000 == 0) log("%,d rows", written);
                }
            }
            c.commit();
        }
    }

    private static int bindRow(PreparedStatement ps, int p, SplittableRandom random, long millis) throws SQLException {
        // a fifth of the keys send most requests
        int key = random.nextInt(10) < 8 ? random.nextInt(KEYS / 5) : random.nextInt(KEYS);
        int user = key % USERS, team = user % TEAMS;
        ModelSpec model = MODELS.get(random.nextInt(10) < 8 ? key % MODELS.size() : random.nextInt(MODELS.size()));
        long input = 200 + (long) Math.exp(random.nextDouble() * Math.log(20_000));
        long output = 20 + (long) Math.exp(random.nextDouble() * Math.log(2_000));
        long cached = random.nextBoolean() ? input * random.nextInt(90) / 100 : 0;
        boolean failed = random.nextInt(100) < 2;
        boolean stream = random.nextInt(10) < 7;
        long latency = 150 + (long) Math.exp(random.nextDouble() * Math.log(30_000));
        Instant ts = Instant.ofEpochMilli(millis);
        ps.setString(p++, "req_%012x%016x".formatted(millis, random.nextLong()));
        ps.setObject(p++, OffsetDateTime.ofInstant(ts, ZoneOffset.UTC));
        ps.setObject(p++, LocalDate.ofInstant(ts, ZoneOffset.UTC));
        ps.setString(p++, "key_bench%04d".formatted(key));
        ps.setString(p++, "usr_bench%04d".formatted(user));
        ps.setString(p++, "team_bench%02d".formatted(team));
        ps.setString(p++, "chat_completions");
        ps.setString(p++, model.name());
        ps.setString(p++, model.name());
        ps.setString(p++, model.provider() + "/" + model.name());
        ps.setLong(p++, failed ? 0 : input);
        ps.setLong(p++, failed ? 0 : output);
        ps.setLong(p++, failed ? 0 : cached);
        ps.setBoolean(p++, false);
        ps.setLong(p++, failed ? 0 : model.price().costNanos(new TokenUsage(input, output, cached, false)));
        ps.setInt(p++, failed ? 502 : 200);
        ps.setString(p++, failed ? "error" : "ok");
        ps.setLong(p++, latency);
        if (stream && !failed) ps.setLong(p++, Math.min(latency, 80 + (long) Math.exp(random.nextDouble() * Math.log(3_000))));
        else ps.setNull(p++, java.sql.Types.BIGINT);
        ps.setBoolean(p++, stream);
        return p;
    }

    /** The dashboard's four calls, as the console makes them for the month. */
    private static final Map<String, String> QUERIES = new LinkedHashMap<>();

    static {
        QUERIES.put("series by day, split by model", "/api/v1/usage/series?granularity=day&split=model");
        QUERIES.put("top 10 users", "/api/v1/usage/top?by=user&limit=10");
        QUERIES.put("savings against gpt-5", "/api/v1/usage/savings?reference=gpt-5");
        QUERIES.put("request log, first page of 50", "/api/v1/requests?limit=50");
    }

    private static void measure(String url, Path dir, Path results, int runs) throws Exception {
        Path spool = Files.createDirectories(dir.resolve("spool"));
        String yaml = """
                server: { port: 0, host: 127.0.0.1, event_loops: 2 }
                database: { url: "%s" }
                usage: { spool_dir: "%s" }
                providers:
                  - { name: nowhere, type: openai, base_url: "http://127.0.0.1:9/v1" }
                models:
                  - { name: bench-model, deployments: [ { provider: nowhere, model: m } ] }
                """.formatted(url, spool);
        var config = ConfigLoader.parse(yaml, "dashboard.yaml", name -> null);
        try (Gateway gateway = Gateway.start(config, Optional.of(ADMIN_KEY), System.err)) {
            var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = "http://127.0.0.1:" + gateway.port();
            var table = new StringBuilder("""

                    Dashboard routes over HTTP for the whole month (the default range: the last 30 days), one after another;
                    cold is the first call after the gateway started (JVM and database cache cold), warm the median of the next %d
                    (H2's reuse of unchanged results switched off).

                    | route | cold | warm (p50) |
                    |---|---|---|
                    """.formatted(runs));
            double coldTotal = 0, warmTotal = 0;
            for (var q : QUERIES.entrySet()) {
                double cold = time(http, base + q.getValue());
                var warm = new ArrayList<Double>();
                for (int i = 0; i < runs; i++) warm.add(time(http, base + q.getValue()));
                warm.sort(null);
                double median = warm.get(warm.size() / 2);
                coldTotal += cold;
                warmTotal += median;
                table.append("| `%s` (%s) | %.0f ms | %.0f ms |%n".formatted(q.getValue(), q.getKey(), cold, median));
                log("%s: cold %.0f ms, warm %.0f ms", q.getKey(), cold, median);
            }
            table.append("| **the four, one after another** | **%.0f ms** | **%.0f ms** |%n".formatted(coldTotal, warmTotal));
            // the page a browser gets: the console makes its six API calls at once and renders them
            String page = base + "/ui/?range=30d&split=model";
            String cookie = logIn(http, base);
            double first = time(http, page, "cookie", cookie);
            var warm = new ArrayList<Double>();
            for (int i = 0; i < runs; i++) warm.add(time(http, page, "cookie", cookie));
            warm.sort(null);
            table.append("| console page `/ui/?range=30d` (six API calls at once, rendered; first load after the routes above) | %.0f ms | %.0f ms |%n"
                    .formatted(first, warm.get(warm.size() / 2)));
            log("console dashboard page: first %.0f ms, warm %.0f ms", first, warm.get(warm.size() / 2));
            Files.writeString(results, Files.readString(results) + table);
            System.out.println(Files.readString(results));
        }
    }

    private static double time(HttpClient http, String url) throws IOException, InterruptedException {
        return time(http, url, "authorization", "Bearer " + ADMIN_KEY);
    }

    private static double time(HttpClient http, String url, String header, String value) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        var response = http.send(HttpRequest.newBuilder(URI.create(url)).header(header, value)
                .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofString());
        double ms = (System.nanoTime() - t0) / 1e6;
        if (response.statusCode() != 200) throw new IllegalStateException(url + " -> " + response.statusCode() + " " + response.body());
        return ms;
    }

    /** Logs in to the console with the admin key; returns the session cookie. */
    private static String logIn(HttpClient http, String base) throws IOException, InterruptedException {
        var response = http.send(HttpRequest.newBuilder(URI.create(base + "/ui/login"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("key=" + ADMIN_KEY)).build(), HttpResponse.BodyHandlers.ofString());
        String cookie = response.headers().firstValue("set-cookie")
                .orElseThrow(() -> new IllegalStateException("console log-in failed: " + response.statusCode()));
        return cookie.substring(0, cookie.indexOf(';'));
    }

    private static long count(Database db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String revision() {
        try {
            var p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            return new String(p.getInputStream().readAllBytes()).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double seconds(long startNanos) { return (System.nanoTime() - startNanos) / 1e9; }

    private static void log(String format, Object... args) {
        System.err.println("[dashboard] " + String.format(Locale.ROOT, format, args));
    }
}
