package dev.gantry.server.policy;

import dev.gantry.auth.ApiKey;
import dev.gantry.identity.Team;
import dev.gantry.identity.User;
import dev.gantry.limits.Scope;
import dev.gantry.server.identity.Directory;

/**
 * How refusals and alerts name a scope to people: by the names they gave it, not by ids where the
 * name is at hand. Never an email or a secret: the text goes to clients and chat channels.
 */
final class ScopeNames {
    private final Directory directory;

    ScopeNames(Directory directory) {
        this.directory = directory;
    }

    /** @param key the request's key, whose name names a key scope; null where only the id is known */
    String of(Scope scope, ApiKey key) {
        return switch (scope.type()) {
            case KEY -> "key '" + (key != null && key.id().equals(scope.id()) ? key.name() : scope.id()) + "'";
            case USER -> "user '" + directory.user(scope.id()).map(User::displayName).orElse(scope.id()) + "'";
            case TEAM -> "team '" + directory.team(scope.id()).map(Team::name).orElse(scope.id()) + "'";
            case MODEL -> "model '" + scope.id() + "'";
            case ORG -> "the organisation";
        };
    }
}
