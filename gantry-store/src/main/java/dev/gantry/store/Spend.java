package dev.gantry.store;

/** Money and tokens spent: what budgets count. Tokens are input plus output. */
public record Spend(long costNanos, long tokens) {
    public static final Spend NONE = new Spend(0, 0);

    public Spend plus(Spend other) { return new Spend(costNanos + other.costNanos, tokens + other.tokens); }
}
