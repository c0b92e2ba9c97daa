package dev.gantry.server.policy;

import dev.gantry.auth.ApiKey;
import dev.gantry.catalog.Deployment;
import dev.gantry.catalog.Model;
import dev.gantry.catalog.Price;
import dev.gantry.error.ErrorCode;
import dev.gantry.error.GatewayException;
import dev.gantry.identity.OrgSettings;
import dev.gantry.identity.Quota;
import dev.gantry.identity.Team;
import dev.gantry.identity.User;
import dev.gantry.limits.Admission;
import dev.gantry.limits.BudgetLedger;
import dev.gantry.limits.BudgetLimit;
import dev.gantry.limits.BudgetRefusal;
import dev.gantry.limits.LimitCounters;
import dev.gantry.limits.RateLimit;
import dev.gantry.limits.RateLimitStatus;
import dev.gantry.limits.RateLimited;
import dev.gantry.limits.Reservation;
import dev.gantry.limits.Scope;
import dev.gantry.limits.WorstCase;
import dev.gantry.protocol.Endpoint;
import dev.gantry.protocol.RequestFacts;
import dev.gantry.server.identity.Directory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The request-path step that applies rate limits and budgets, after the model is resolved and
 * before anything goes upstream, in Bifrost's order: rate limits of the key, its user, its team and
 * the model; then budgets of the key, its user, its team and the organisation. A request is counted
 * on all of them or on none.
 *
 * <p>Hot path: everything is in memory (the key cache, the {@link Directory}, the counters and the
 * ledger); a request that no limit or budget applies to, the common case, costs a few look-ups and
 * returns {@link Grant#NONE}.
 *
 * <p>The worst case reserved is the prompt estimated as body bytes / 4 plus {@code max_tokens} (or
 * {@code governance.max_output_tokens}) at the model's dearest price. Bytes / 4 is about right for
 * English and code and costs nothing; a tokenizer would take milliseconds of the event loop for a
 * long prompt, and the estimate only holds room until the request ends and its measured usage
 * replaces it. It overestimates base64 images, which is the safe side.
 */
public final class LimitsStep {
    private final LimitCounters counters;
    private final BudgetLedger ledger;
    private final Directory directory;
    private final WorstCase worstCase;
    private final Messages messages;
    private final Clock clock;

    public LimitsStep(LimitCounters counters, BudgetLedger ledger, Directory directory, long maxOutputTokens, Clock clock) {
        this.counters = counters;
        this.ledger = ledger;
        this.directory = directory;
        this.worstCase = new WorstCase(maxOutputTokens);
        this.messages = new Messages(new ScopeNames(directory));
        this.clock = clock;
    }

    /** Counts the request on its rate limits and reserves its worst case on its budgets, or refuses it. */
    public LimitsDecision check(ApiKey key, Endpoint endpoint, Model model, RequestFacts facts, int bodyBytes) {
        Quota keyQuota = key.quota();
        Quota userQuota = key.userId() == null ? null : directory.user(key.userId()).map(User::quota).orElse(null);
        Quota teamQuota = key.teamId() == null ? null : directory.team(key.teamId()).map(Team::quota).orElse(null);
        OrgSettings org = directory.org();
        Quota orgQuota = org == null ? null : org.quota();
        boolean rated = keyQuota.hasRateLimit() || hasRateLimit(userQuota) || hasRateLimit(teamQuota) || model.limits().isPresent();
        boolean budgeted = keyQuota.hasBudget() || hasBudget(userQuota) || hasBudget(teamQuota) || hasBudget(orgQuota);
        if (!rated && !budgeted) return Grant.NONE;

        long promptTokens = bodyBytes / 4;
        long tokens = switch (endpoint) {
            case COUNT_TOKENS -> 0; // counting is free and uses no tokens
            case EMBEDDINGS -> promptTokens; // no output
            default -> worstCase.tokens(promptTokens, facts.maxTokens());
        };
        Instant now = clock.instant();
        long nowMillis = now.toEpochMilli();
        Admission admission = null;
        if (rated) {
            var limits = new ArrayList<RateLimit>(4);
            RateLimit.from(Scope.key(key.id()), keyQuota).ifPresent(limits::add);
            if (userQuota != null) RateLimit.from(Scope.user(key.userId()), userQuota).ifPresent(limits::add);
            if (teamQuota != null) RateLimit.from(Scope.team(key.teamId()), teamQuota).ifPresent(limits::add);
            model.limits().ifPresent(limits::add);
            switch (counters.admit(limits, tokens, nowMillis)) {
                case RateLimited refused -> {
                    return new Refusal(new GatewayException(ErrorCode.RATE_LIMITED, messages.rateLimited(refused, key, tokens)),
                            refused.retryAfterSeconds(), refused.status());
                }
                case Admission admitted -> admission = admitted;
            }
        }
        RateLimitStatus status = admission == null ? RateLimitStatus.NONE : admission.status();
        if (!budgeted) return new Grant(this, admission, null, status, 0, tokens);

        long worstCost = switch (endpoint) {
            case COUNT_TOKENS -> 0;
            case EMBEDDINGS -> inputCostNanos(dearestPrice(model), promptTokens);
            default -> worstCase.costNanos(dearestPrice(model), promptTokens, facts.maxTokens());
        };
        switch (ledger.reserve(budgets(key, keyQuota, userQuota, teamQuota, orgQuota), worstCost, tokens, now)) {
            case BudgetRefusal refused -> {
                if (admission != null) counters.release(admission, 0, nowMillis); // it sends nothing upstream
                long retryAfter = refused.resetAt().map(at -> Math.max(1, Duration.between(now, at).toSeconds())).orElse(0L);
                return new Refusal(new GatewayException(ErrorCode.BUDGET_EXCEEDED, messages.budgetRefused(refused, key)),
                        retryAfter, status);
            }
            case Reservation reservation -> {
                return new Grant(this, admission, reservation, status, worstCost, tokens);
            }
        }
    }

    /** Called by {@link Grant#end}. */
    void end(Admission admission, Reservation reservation, long costNanos, long tokens) {
        if (admission != null) counters.release(admission, tokens, clock.millis());
        if (reservation != null) ledger.settle(reservation, costNanos, tokens, clock.instant());
    }

    /** Forgets idle scopes of counters and ledger. Walks them all: from a timer, off the event loop. */
    public void sweep() {
        Instant now = clock.instant();
        ledger.sweep(now);
        counters.sweep(now.toEpochMilli());
    }

    private static List<BudgetLimit> budgets(ApiKey key, Quota keyQuota, Quota userQuota, Quota teamQuota, Quota orgQuota) {
        var limits = new ArrayList<BudgetLimit>(4);
        BudgetLimit.from(Scope.key(key.id()), keyQuota).ifPresent(limits::add);
        if (userQuota != null) BudgetLimit.from(Scope.user(key.userId()), userQuota).ifPresent(limits::add);
        if (teamQuota != null) BudgetLimit.from(Scope.team(key.teamId()), teamQuota).ifPresent(limits::add);
        if (orgQuota != null) BudgetLimit.from(Scope.ORG, orgQuota).ifPresent(limits::add);
        return limits;
    }

    /**
     * The highest input and output prices among the model's deployments, as any of them may answer.
     * A fallback model may cost more still; its excess over the reservation is what a budget can be
     * overrun by, as with a deployment paid by the hour.
     */
    private static Price dearestPrice(Model model) {
        Price price = model.price();
        for (Deployment d : model.deployments()) {
            Price p = model.priceAt(d);
            if (p.inputMicrosPerMtok() > price.inputMicrosPerMtok() || p.outputMicrosPerMtok() > price.outputMicrosPerMtok()) {
                price = new Price(Math.max(p.inputMicrosPerMtok(), price.inputMicrosPerMtok()),
                        Math.max(p.outputMicrosPerMtok(), price.outputMicrosPerMtok()),
                        Math.max(p.cachedInputMicrosPerMtok(), price.cachedInputMicrosPerMtok()));
            }
        }
        return price;
    }

    /** Prompt tokens at the input price, rounded up as {@link WorstCase} does; saturating. */
    private static long inputCostNanos(Price price, long promptTokens) {
        try {
            long micros = Math.multiplyExact(promptTokens, price.inputMicrosPerMtok());
            return micros / 1_000 + (micros % 1_000 == 0 ? 0 : 1);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static boolean hasRateLimit(Quota quota) { return quota != null && quota.hasRateLimit(); }

    private static boolean hasBudget(Quota quota) { return quota != null && quota.hasBudget(); }
}
