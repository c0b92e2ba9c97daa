package dev.gantry.server.console;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How the templates show numbers, money, times and JSON lists. Public: the compiled templates call it. */
public final class Format {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private Format() {}

    public static String usd(Object value) {
        if (value == null) return "—";
        var amount = new BigDecimal(value.toString());
        int scale = amount.abs().compareTo(BigDecimal.ONE) >= 0 ? 2 : 4;
        return "$" + String.format(Locale.ROOT, "%,." + scale + "f", amount.setScale(scale, RoundingMode.HALF_UP));
    }

    public static String count(Object value) {
        if (value == null) return "—";
        double v = Double.parseDouble(value.toString());
        if (Math.abs(v) >= 1e9) return String.format(Locale.ROOT, "%.2fB", v / 1e9);
        if (Math.abs(v) >= 1e6) return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        if (Math.abs(v) >= 1e4) return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        return String.format(Locale.ROOT, "%,d", Math.round(v));
    }

    /** A fraction as a percentage (0.25 means 25 %). */
    public static String percent(Object fraction) {
        if (fraction == null) return "—";
        return String.format(Locale.ROOT, "%.1f %%", Double.parseDouble(fraction.toString()) * 100);
    }

    /** A value that is a percentage already (56.6 means 56.6 %). */
    public static String pct(Object percent) {
        if (percent == null) return "—";
        return String.format(Locale.ROOT, "%.1f %%", Double.parseDouble(percent.toString()));
    }

    public static String ms(Object value) {
        if (value == null) return "—";
        double v = Double.parseDouble(value.toString());
        return v >= 10_000 ? String.format(Locale.ROOT, "%.1f s", v / 1000) : String.format(Locale.ROOT, "%.0f ms", v);
    }

    public static String time(String instant) {
        return instant == null ? "—" : TIME.format(Instant.parse(instant));
    }

    /** The last day an expiry leaves a key usable: forms set expiry to the end of the day they name. */
    public static String lastDay(String expiresAt) {
        return expiresAt == null ? null : Instant.parse(expiresAt).minusSeconds(1).atZone(ZoneOffset.UTC).toLocalDate().toString();
    }

    public static String text(Object value) { return value == null ? "—" : value.toString(); }

    /** A form field's current value: blank where the object has none. */
    public static String field(JsonObject object, String name) {
        Object v = object == null ? null : object.getValue(name);
        return v == null ? "" : v.toString();
    }

    /** A JSON array of objects as a list the templates can loop over. */
    public static List<JsonObject> objects(JsonArray array) {
        var list = new ArrayList<JsonObject>();
        if (array != null) for (Object o : array) if (o instanceof JsonObject j) list.add(j);
        return list;
    }

    public static List<JsonObject> objects(JsonObject body, String field) { return objects(body.getJsonArray(field)); }

    public static String strings(JsonArray array) {
        if (array == null || array.isEmpty()) return "";
        var joined = new StringBuilder();
        for (Object o : array) joined.append(joined.isEmpty() ? "" : ", ").append(o);
        return joined.toString();
    }
}
