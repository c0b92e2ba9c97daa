package dev.gantry.server.admin;

import dev.gantry.auth.ApiKey;
import dev.gantry.catalog.Price;
import dev.gantry.identity.Caller;
import dev.gantry.identity.Team;
import dev.gantry.server.auth.KeyCache;
import dev.gantry.server.identity.Directory;
import dev.gantry.store.LatencyHistogram;
import dev.gantry.store.RollupRepository;
import dev.gantry.store.RollupRepository.Dimension;
import dev.gantry.store.RollupRepository.Grain;
import dev.gantry.store.RollupRepository.Row;
import dev.gantry.store.RollupTotals;
import dev.gantry.usage.TokenUsage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The console's usage dashboards, from the roll-ups ({@link RollupRepository}): {@code /usage/series}
 * (per hour, day or week, split by one dimension), {@code /usage/top} and {@code /usage/savings}.
 * Every query is narrowed in SQL to the keys the caller may read ({@link KeyAccess#readableKeys}), so
 * a team admin's totals are their teams' and never everyone's with rows hidden.
 */
final class AnalyticsApi {
    static final String DEFAULT_REFERENCE = "gpt-5";
    private static final int MAX_SERIES = 10;
    private static final int MAX_BUCKETS = 2_000;

    private final RollupRepository rollups;
    private final PriceCatalog prices;
    private final KeyAccess access;
    private final KeyCache keys;
    private final Directory directory;
    private final Vertx vertx;
    private final Clock clock;

    AnalyticsApi(RollupRepository rollups, PriceCatalog prices, KeyAccess access, KeyCache keys, Directory directory, Vertx vertx,
                 Clock clock) {
        this.rollups = rollups;
        this.prices = prices;
        this.access = access;
        this.keys = keys;
        this.directory = directory;
        this.vertx = vertx;
        this.clock = clock;
    }

    private enum Granularity { HOUR, DAY, WEEK }

    /** {@code ?granularity=hour|day|week&split=none|model|provider|team|user|key} plus the shared range and filters. */
    void series(RoutingContext ctx) {
        answer(ctx, () -> {
            UsageQuery q = UsageQuery.parse(ctx, AdminAuth.caller(ctx), access, clock);
            Granularity granularity = choice(ctx, "granularity", Granularity.class, Granularity.DAY);
            Dimension split = choice(ctx, "split", Dimension.class, Dimension.NONE);
            Grain grain = granularity == Granularity.HOUR ? Grain.HOUR : Grain.DAY;
            Instant from = bucketOf(granularity, q.from()), to = grain.ceil(q.to());
            var buckets = new ArrayList<Instant>();
            for (Instant b = from; b.isBefore(to); b = next(granularity, b)) {
                buckets.add(b);
                if (buckets.size() > MAX_BUCKETS) throw Json.invalid("granularity", "gives more than " + MAX_BUCKETS + " buckets for this range");
            }
            return () -> seriesView(granularity, split, q, buckets,
                    rollups.sum(grain, grain.floor(q.from()), to, q.filter(), split, true));
        });
    }

    /** {@code ?by=user|key|team|model&limit=10}: the biggest spenders, by cost. */
    void top(RoutingContext ctx) {
        answer(ctx, () -> {
            UsageQuery q = UsageQuery.parse(ctx, AdminAuth.caller(ctx), access, clock);
            Dimension by = choice(ctx, "by", Dimension.class, Dimension.USER);
            if (by == Dimension.NONE) throw Json.invalid("by", "must be one of user, key, team, model, provider");
            int limit = Json.intParam(ctx, "limit", 10, 1, 100);
            return () -> {
                var data = new JsonArray();
                byCost(sum(q, by)).stream().limit(limit).forEach(r -> data.add(totals(new JsonObject()
                        .put("id", r.group()).put("name", name(by, r.group())), r.totals())));
                return Json.list(data, false);
            };
        });
    }

    /** {@code ?reference=MODEL}: what the same tokens would have cost at the reference model's price. */
    void savings(RoutingContext ctx) {
        answer(ctx, () -> {
            UsageQuery q = UsageQuery.parse(ctx, AdminAuth.caller(ctx), access, clock);
            String name = ctx.queryParams().get("reference");
            String model = name == null || name.isBlank() ? DEFAULT_REFERENCE : name.trim();
            return () -> {
                PriceCatalog.Entry reference = prices.find(model).orElseThrow(() -> Json.invalid("reference",
                        "has no price: pick a model from GET /api/v1/prices or set one with PUT /api/v1/prices/{model}"));
                Price price = reference.price();
                long actual = 0, referenceCost = 0;
                var models = new JsonArray();
                for (Row r : byCost(sum(q, Dimension.MODEL))) {
                    RollupTotals t = r.totals();
                    long at = price.costNanos(new TokenUsage(t.inputTokens(), t.outputTokens(), t.cachedInputTokens(), false));
                    actual += t.costNanos();
                    referenceCost += at;
                    models.add(new JsonObject().put("model", r.group()).put("requests", t.requests())
                            .put("input_tokens", t.inputTokens()).put("output_tokens", t.outputTokens())
                            .put("cached_input_tokens", t.cachedInputTokens()).put("cost_usd", Json.usd(t.costNanos()))
                            .put("reference_cost_usd", Json.usd(at)).put("saved_usd", Json.usd(at - t.costNanos())));
                }
                return new JsonObject().put("object", "usage.savings").put("from", q.from().toString()).put("to", q.to().toString())
                        .put("reference", reference.view())
                        .put("actual_cost_usd", Json.usd(actual)).put("reference_cost_usd", Json.usd(referenceCost))
                        .put("saved_usd", Json.usd(referenceCost - actual))
                        .put("saved_pct", referenceCost == 0 ? null : BigDecimal.valueOf(referenceCost - actual)
                                .multiply(BigDecimal.valueOf(100)).divide(BigDecimal.valueOf(referenceCost), 2, RoundingMode.HALF_UP))
                        .put("models", models);
            };
        });
    }

    /** Parses on the event loop (bad input answers 400 at once), then queries on a worker. */
    private void answer(RoutingContext ctx, Callable<Callable<JsonObject>> parse) {
        Future<JsonObject> result;
        try {
            Callable<JsonObject> query = parse.call();
            result = vertx.executeBlocking(query, false);
        } catch (Exception e) {
            result = Future.failedFuture(e);
        }
        Json.reply(ctx, 200, result);
    }

    /** Whole days come from the daily roll-ups; other ranges from the hourly ones, rounded out to hours. */
    private List<Row> sum(UsageQuery q, Dimension by) {
        Grain grain = q.wholeDays() ? Grain.DAY : Grain.HOUR;
        return rollups.sum(grain, grain.floor(q.from()), grain.ceil(q.to()), q.filter(), by, false);
    }

    private static List<Row> byCost(List<Row> rows) {
        return rows.stream().sorted(Comparator.comparingLong((Row r) -> r.totals().costNanos()).reversed()
                .thenComparing(Comparator.comparingLong((Row r) -> r.totals().requests()).reversed())).toList();
    }

    private JsonObject seriesView(Granularity granularity, Dimension split, UsageQuery q, List<Instant> buckets, List<Row> rows) {
        var index = new HashMap<Instant, Integer>();
        for (int i = 0; i < buckets.size(); i++) index.put(buckets.get(i), i);
        // each group's totals per bucket, then the ten dearest groups keep their own series
        var byGroup = new LinkedHashMap<String, RollupTotals[]>();
        var whole = new HashMap<String, RollupTotals>();
        var perBucket = new RollupTotals[buckets.size()];
        var summary = new RollupTotals();
        for (Row r : rows) {
            Integer i = index.get(bucketOf(granularity, r.bucket()));
            if (i == null) continue;
            String group = split == Dimension.NONE ? "all" : r.group();
            byGroup.computeIfAbsent(group, g -> new RollupTotals[buckets.size()]);
            RollupTotals[] cells = byGroup.get(group);
            if (cells[i] == null) cells[i] = new RollupTotals();
            cells[i].add(r.totals());
            whole.computeIfAbsent(group, g -> new RollupTotals()).add(r.totals());
            if (perBucket[i] == null) perBucket[i] = new RollupTotals();
            perBucket[i].add(r.totals());
            summary.add(r.totals());
        }
        List<String> ranked = new ArrayList<>(byGroup.keySet());
        ranked.sort(Comparator.comparingLong((String g) -> whole.get(g).costNanos()).reversed()
                .thenComparing(Comparator.comparingLong((String g) -> whole.get(g).requests()).reversed()));
        var series = new JsonArray();
        RollupTotals[] other = null;
        for (int n = 0; n < ranked.size(); n++) {
            RollupTotals[] cells = byGroup.get(ranked.get(n));
            if (n < MAX_SERIES) {
                String id = ranked.get(n);
                series.add(seriesEntry(id, split == Dimension.NONE ? "all" : name(split, id), cells));
                continue;
            }
            if (other == null) other = new RollupTotals[buckets.size()];
            for (int i = 0; i < cells.length; i++) {
                if (cells[i] == null) continue;
                if (other[i] == null) other[i] = new RollupTotals();
                other[i].add(cells[i]);
            }
        }
        if (other != null) series.add(seriesEntry("other", "other", other));
        var latency = new JsonObject().put("p50_ms", new JsonArray()).put("p95_ms", new JsonArray())
                .put("ttft_p50_ms", new JsonArray()).put("ttft_p95_ms", new JsonArray());
        for (RollupTotals t : perBucket) {
            latency.getJsonArray("p50_ms").add(percentile(t == null ? null : t.latency(), 0.5));
            latency.getJsonArray("p95_ms").add(percentile(t == null ? null : t.latency(), 0.95));
            latency.getJsonArray("ttft_p50_ms").add(percentile(t == null ? null : t.ttft(), 0.5));
            latency.getJsonArray("ttft_p95_ms").add(percentile(t == null ? null : t.ttft(), 0.95));
        }
        var bucketNames = new JsonArray();
        buckets.forEach(b -> bucketNames.add(b.toString()));
        return new JsonObject().put("object", "usage.series").put("granularity", granularity.name().toLowerCase(Locale.ROOT))
                .put("split", split.name().toLowerCase(Locale.ROOT))
                .put("from", q.from().toString()).put("to", q.to().toString()).put("buckets", bucketNames)
                .put("series", series).put("latency", latency).put("summary", summary(summary));
    }

    private static JsonObject seriesEntry(String id, String name, RollupTotals[] cells) {
        var requests = new JsonArray();
        var errors = new JsonArray();
        var input = new JsonArray();
        var output = new JsonArray();
        var cost = new JsonArray();
        for (RollupTotals t : cells) {
            requests.add(t == null ? 0 : t.requests());
            errors.add(t == null ? 0 : t.errors());
            input.add(t == null ? 0 : t.inputTokens());
            output.add(t == null ? 0 : t.outputTokens());
            cost.add(t == null ? BigDecimal.ZERO : Json.usd(t.costNanos()));
        }
        return new JsonObject().put("id", id).put("name", name).put("requests", requests).put("errors", errors)
                .put("input_tokens", input).put("output_tokens", output).put("cost_usd", cost);
    }

    private static JsonObject summary(RollupTotals t) {
        return totals(new JsonObject(), t)
                .put("error_rate", t.requests() == 0 ? 0 : BigDecimal.valueOf(t.errors())
                        .divide(BigDecimal.valueOf(t.requests()), 4, RoundingMode.HALF_UP))
                .put("latency_p50_ms", percentile(t.latency(), 0.5)).put("latency_p95_ms", percentile(t.latency(), 0.95))
                .put("ttft_p50_ms", percentile(t.ttft(), 0.5)).put("ttft_p95_ms", percentile(t.ttft(), 0.95));
    }

    private static JsonObject totals(JsonObject into, RollupTotals t) {
        return into.put("requests", t.requests()).put("errors", t.errors()).put("input_tokens", t.inputTokens())
                .put("output_tokens", t.outputTokens()).put("cached_input_tokens", t.cachedInputTokens())
                .put("cost_usd", Json.usd(t.costNanos()));
    }

    private static Long percentile(LatencyHistogram h, double quantile) {
        if (h == null || h.total() == 0) return null;
        return h.percentile(quantile);
    }

    /** A readable name for a group: team name, user email (or display name), key name; models and providers are their own. */
    private String name(Dimension dimension, String id) {
        if (id == null) return "(none)";
        return switch (dimension) {
            case TEAM -> directory.team(id).map(Team::name).orElse(id);
            case USER -> directory.user(id).map(u -> u.email() != null ? u.email() : u.displayName()).orElse(id);
            case KEY -> keys.byId(id).map(ApiKey::name).orElse(id);
            default -> id;
        };
    }

    private static Instant bucketOf(Granularity g, Instant t) {
        return switch (g) {
            case HOUR -> t.truncatedTo(ChronoUnit.HOURS);
            case DAY -> t.truncatedTo(ChronoUnit.DAYS);
            case WEEK -> t.atZone(ZoneOffset.UTC).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                    .atStartOfDay(ZoneOffset.UTC).toInstant();
        };
    }

    private static Instant next(Granularity g, Instant bucket) {
        return switch (g) {
            case HOUR -> bucket.plus(Duration.ofHours(1));
            case DAY -> bucket.plus(Duration.ofDays(1));
            case WEEK -> bucket.plus(Duration.ofDays(7));
        };
    }

    private static <E extends Enum<E>> E choice(RoutingContext ctx, String name, Class<E> type, E fallback) {
        String value = ctx.queryParams().get(name);
        if (value == null || value.isBlank()) return fallback;
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            var allowed = new ArrayList<String>();
            for (E c : type.getEnumConstants()) allowed.add(c.name().toLowerCase(Locale.ROOT));
            throw Json.invalid(name, "must be one of " + String.join(", ", allowed));
        }
    }
}
