package dev.gantry.server.console;

import io.vertx.core.json.JsonObject;

/**
 * One browser request to the console, once its session checked out: the session's token (to call
 * the API as the visitor), the token its forms must carry, the browser's address (for the audit
 * log) and who the visitor is ({@code GET /api/v1/me}).
 */
record Visit(String token, String csrf, String address, String addressProof, JsonObject me) {
    String role() { return me.getString("role"); }

    boolean isAdmin() { return may("administer_all"); }

    boolean readsAll() { return may("read_all"); }

    /** Team admins see the team pages of their teams. */
    boolean administersATeam() { return may("administer_teams"); }

    private boolean may(String what) { return me.getJsonObject("may", new JsonObject()).getBoolean(what, false); }

    String userId() {
        JsonObject user = me.getJsonObject("user");
        return user == null ? null : user.getString("id");
    }

    String displayName() {
        JsonObject user = me.getJsonObject("user");
        if (user == null) return "key " + me.getString("key_id");
        String name = user.getString("display_name");
        return name == null || name.isBlank() ? user.getString("email") : name;
    }
}
