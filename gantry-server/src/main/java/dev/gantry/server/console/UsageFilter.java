package dev.gantry.server.console;

import static dev.gantry.server.console.KeysPages.enc;

import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The filters every usage page takes: a range ending now, a team, a model, how to split, and
 * the reference model savings are measured against. Public: the templates show it.
 */
public record UsageFilter(String range, String teamId, String model, String split, String referenceModel) {
    static final List<String> RANGES = List.of("24h", "7d", "30d", "90d");
    static final List<String> SPLITS = List.of("model", "provider", "team", "user", "key", "none");

    static UsageFilter of(RoutingContext ctx) {
        String range = ctx.request().getParam("range");
        String split = ctx.request().getParam("split");
        return new UsageFilter(range != null && RANGES.contains(range) ? range : "7d", blank(ctx.request().getParam("team_id")),
                blank(ctx.request().getParam("model")), split != null && SPLITS.contains(split) ? split : "model",
                blank(ctx.request().getParam("reference")));
    }

    public List<String> ranges() { return RANGES; }

    public List<String> splits() { return SPLITS; }

    Duration duration() {
        return switch (range) {
            case "24h" -> Duration.ofHours(24);
            case "30d" -> Duration.ofDays(30);
            case "90d" -> Duration.ofDays(90);
            default -> Duration.ofDays(7);
        };
    }

    String granularity() {
        return switch (range) {
            case "24h", "7d" -> "hour";
            case "90d" -> "week";
            default -> "day";
        };
    }

    /**
     * The range as the API takes it, in whole buckets: whole hours up to the current one, or whole
     * UTC days up to today (dates, {@code to} inclusive), which the API answers from its daily
     * roll-ups instead of summing hours.
     */
    String query() {
        var q = new StringBuilder();
        if (granularity().equals("hour")) {
            Instant to = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
            q.append("from=").append(to.minus(duration())).append("&to=").append(to);
        } else {
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            q.append("from=").append(today.minusDays(duration().toDays() - 1)).append("&to=").append(today);
        }
        if (teamId != null) q.append("&team_id=").append(enc(teamId));
        if (model != null) q.append("&model=").append(enc(model));
        return q.toString();
    }

    String reference() { return referenceModel == null ? "" : "&reference=" + enc(referenceModel); }

    private static String blank(String v) { return v == null || v.isBlank() ? null : v.trim(); }
}
