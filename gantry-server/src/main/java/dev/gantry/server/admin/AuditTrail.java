package dev.gantry.server.admin;

import dev.gantry.audit.AuditEvent;
import dev.gantry.identity.Caller;
import dev.gantry.store.AuditRepository;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/**
 * Writes every admin change to the hash-chained audit log: who (the caller's user, or key), what,
 * the target before and after, when, and from which address. The views passed in are the API's own
 * answers, which never hold a secret or a key hash. Blocking: call it inside the change's worker task,
 * after the change, so a failed change leaves no entry and a failed entry fails the call.
 */
final class AuditTrail {
    private final AuditRepository log;
    private final Clock clock;

    AuditTrail(AuditRepository log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    /** What the worker task needs of the request, taken on the event loop. */
    record Origin(Caller caller, String address) {
        static Origin of(RoutingContext ctx) {
            return new Origin(AdminAuth.caller(ctx), AdminAuth.clientAddress(ctx));
        }
    }

    void record(Origin origin, String action, String targetType, String targetId, JsonObject before, JsonObject after) {
        Caller c = origin.caller();
        log.append(new AuditEvent(clock.instant(), c.userId() != null ? c.userId() : c.keyId(), c.name(), action, targetType,
                targetId, before == null ? null : before.encode(), after == null ? null : after.encode(), origin.address()));
    }
}
