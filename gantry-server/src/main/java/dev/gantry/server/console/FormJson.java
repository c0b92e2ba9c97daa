package dev.gantry.server.console;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A console form as the admin API's JSON. Forms send text; the API wants numbers, lists and
 * instants, and validates them: a value this cannot convert goes through as text, so the API's
 * field error names it.
 */
final class FormJson {
    private final MultiMap form;
    private final JsonObject json = new JsonObject();

    private FormJson(MultiMap form) { this.form = form; }

    static FormJson of(MultiMap form) { return new FormJson(form); }

    /** Text fields; blank ones are left out. */
    FormJson text(String... fields) {
        for (String f : fields) {
            String v = value(f);
            if (v != null) json.put(f, v);
        }
        return this;
    }

    /** Number fields; on {@code clearing} forms a blank one is sent as null, which clears the limit. */
    FormJson numbers(boolean clearing, String... fields) {
        for (String f : fields) {
            String v = value(f);
            if (v == null) {
                if (clearing && form.contains(f)) json.putNull(f);
                continue;
            }
            try {
                json.put(f, new BigDecimal(v.replace(",", "").replace("$", "")));
            } catch (NumberFormatException e) {
                json.put(f, v);
            }
        }
        return this;
    }

    /**
     * A checkbox. A browser sends nothing for an unchecked one, so the form also carries a hidden
     * {@code <field>_shown} marker: with the marker, an absent box means false; without it, the
     * field is left out (the form did not show it).
     */
    FormJson checkbox(String field) {
        if (form.contains(field)) json.put(field, true);
        else if (form.contains(field + "_shown")) json.put(field, false);
        return this;
    }

    /** A comma- or line-separated list, e.g. allowed model patterns. */
    FormJson list(String field) {
        String v = value(field);
        if (v == null) return this;
        var items = new JsonArray();
        for (String part : v.split("[,\\n]")) if (!part.isBlank()) items.add(part.trim());
        json.put(field, items);
        return this;
    }

    /** A date field (yyyy-mm-dd from a date input) as the instant its day ends, in UTC. */
    FormJson endOfDay(String field) {
        String v = value(field);
        if (v == null) return this;
        try {
            json.put(field, LocalDate.parse(v).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).toString());
        } catch (RuntimeException e) {
            json.put(field, v);
        }
        return this;
    }

    JsonObject json() { return json; }

    private String value(String field) {
        String v = form.get(field);
        return v == null || v.isBlank() ? null : v.trim();
    }
}
