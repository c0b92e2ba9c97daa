package dev.gantry.server.policy;

import dev.gantry.limits.BudgetAlert;
import dev.gantry.limits.BudgetLimit;
import dev.gantry.server.alerts.AlertSink;
import java.util.LinkedHashMap;

/**
 * Budget threshold alerts, posted through the shared {@link AlertSink} to
 * {@code governance.alert_webhook} (else {@code alerts.webhook}). The text names scopes and
 * amounts only.
 */
final class BudgetAlerts {
    private final AlertSink sender;
    private final Messages messages;

    BudgetAlerts(AlertSink sender, Messages messages) {
        this.sender = sender;
        this.messages = messages;
    }

    void post(BudgetAlert alert) {
        var fields = new LinkedHashMap<String, Object>();
        fields.put("scope", alert.limit().scope().type().name().toLowerCase(java.util.Locale.ROOT));
        fields.put("scope_id", alert.limit().scope().id());
        fields.put("period", alert.limit().period().name().toLowerCase(java.util.Locale.ROOT));
        fields.put("unit", alert.unit() == BudgetLimit.Unit.USD_NANOS ? "usd" : "tokens");
        fields.put("percent", alert.percent());
        if (alert.unit() == BudgetLimit.Unit.USD_NANOS) {
            fields.put("spent_usd", alert.spent() / 1e9);
            fields.put("budget_usd", alert.allowed() / 1e9);
        } else {
            fields.put("spent_tokens", alert.spent());
            fields.put("budget_tokens", alert.allowed());
        }
        alert.resetAt().ifPresent(at -> fields.put("resets_at", at.toString()));
        sender.send("budget_threshold", messages.alert(alert), fields);
    }
}
