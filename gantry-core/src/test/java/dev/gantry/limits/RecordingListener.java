package dev.gantry.limits;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what the ledger reported, from any thread. */
final class RecordingListener implements BudgetListener {
    record Unknown(Scope scope, BudgetPeriod period, Instant windowStart) {}

    final List<BudgetAlert> alerts = new CopyOnWriteArrayList<>();
    final List<Unknown> unknowns = new CopyOnWriteArrayList<>();

    @Override
    public void thresholdCrossed(BudgetAlert alert) { alerts.add(alert); }

    @Override
    public void spendUnknown(Scope scope, BudgetPeriod period, Instant windowStart) {
        unknowns.add(new Unknown(scope, period, windowStart));
    }

    /** The percentages alerted, in order. */
    List<Integer> percents() { return alerts.stream().map(BudgetAlert::percent).toList(); }
}
