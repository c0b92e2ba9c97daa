package dev.gantry.store;

import java.util.HashMap;
import java.util.Map;

/** Spend since some instant by key, by user, by team and overall; ids absent from a map spent nothing. */
public record SpendTotals(Map<String, Spend> byKey, Map<String, Spend> byUser, Map<String, Spend> byTeam, Spend overall) {
    public SpendTotals {
        byKey = Map.copyOf(byKey);
        byUser = Map.copyOf(byUser);
        byTeam = Map.copyOf(byTeam);
    }

    public Spend ofKey(String keyId) { return byKey.getOrDefault(keyId, Spend.NONE); }

    public Spend ofUser(String userId) { return byUser.getOrDefault(userId, Spend.NONE); }

    public Spend ofTeam(String teamId) { return byTeam.getOrDefault(teamId, Spend.NONE); }

    static final class Builder {
        private final Map<String, Spend> byKey = new HashMap<>(), byUser = new HashMap<>(), byTeam = new HashMap<>();
        private Spend overall = Spend.NONE;

        void add(String keyId, String userId, String teamId, Spend spend) {
            if (keyId != null) byKey.merge(keyId, spend, Spend::plus);
            if (userId != null) byUser.merge(userId, spend, Spend::plus);
            if (teamId != null) byTeam.merge(teamId, spend, Spend::plus);
            overall = overall.plus(spend);
        }

        SpendTotals build() { return new SpendTotals(byKey, byUser, byTeam, overall); }
    }
}
