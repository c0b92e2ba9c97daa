package dev.gantry.server.policy;

import dev.gantry.auth.ApiKey;
import dev.gantry.identity.Team;
import dev.gantry.identity.User;
import dev.gantry.limits.BudgetLimit;
import dev.gantry.limits.Scope;
import dev.gantry.store.KeyRepository;
import dev.gantry.store.OrgSettingsRepository;
import dev.gantry.store.PageRequest;
import dev.gantry.store.TeamFilter;
import dev.gantry.store.TeamRepository;
import dev.gantry.store.UserFilter;
import dev.gantry.store.UserRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Every budget the database holds, for {@link Budgets#loadAll} at start. Blocking. */
public final class StoredBudgets {
    private static final int PAGE = 1000;

    private StoredBudgets() {}

    public static List<BudgetLimit> all(KeyRepository keys, UserRepository users, TeamRepository teams,
                                        OrgSettingsRepository org, Instant now) {
        var budgets = new ArrayList<BudgetLimit>();
        for (ApiKey k : keys.list()) {
            if (k.isUsableAt(now)) BudgetLimit.from(Scope.key(k.id()), k.quota()).ifPresent(budgets::add);
        }
        for (var page = PageRequest.first(PAGE); ; page = page.next()) {
            var found = users.list(UserFilter.ALL, page);
            for (User u : found.items()) BudgetLimit.from(Scope.user(u.id()), u.quota()).ifPresent(budgets::add);
            if (!found.hasMore()) break;
        }
        for (var page = PageRequest.first(PAGE); ; page = page.next()) {
            var found = teams.list(TeamFilter.ALL, page);
            for (Team t : found.items()) BudgetLimit.from(Scope.team(t.id()), t.quota()).ifPresent(budgets::add);
            if (!found.hasMore()) break;
        }
        BudgetLimit.from(Scope.ORG, org.get().quota()).ifPresent(budgets::add);
        return budgets;
    }
}
