package dev.gantry.server.console;

import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * What a page says after a form worked. The redirect names a notice by code, never by text, so
 * that a link from elsewhere cannot make the console say something it did not.
 */
final class Notices {
    private static final Map<String, String> TEXTS = Map.ofEntries(
            Map.entry("key-revoked", "The key is revoked: requests with it now fail."),
            Map.entry("key-updated", "The key's settings are saved."),
            Map.entry("team-created", "The team is created."),
            Map.entry("team-updated", "The team's settings are saved."),
            Map.entry("org-updated", "The organisation's budget and limits are saved."),
            Map.entry("member-saved", "The membership is saved."),
            Map.entry("member-removed", "The member is removed from the team."),
            Map.entry("user-created", "The user is created."),
            Map.entry("user-updated", "The user's settings are saved."),
            Map.entry("price-saved", "The price is saved."));

    private Notices() {}

    static Layout apply(RoutingContext ctx, Layout layout) {
        String code = ctx.request().getParam("notice");
        String text = code == null ? null : TEXTS.get(code);
        return text == null ? layout : layout.withNotice(text);
    }
}
