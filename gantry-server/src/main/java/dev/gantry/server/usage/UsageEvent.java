package dev.gantry.server.usage;

import dev.gantry.catalog.Deployment;
import dev.gantry.catalog.Model;
import dev.gantry.protocol.Dialect;
import dev.gantry.protocol.Endpoint;
import dev.gantry.server.policy.Grant;
import dev.gantry.server.telemetry.TraceContext;
import dev.gantry.usage.Outcome;
import dev.gantry.usage.ResponseSample;
import java.time.Instant;

/**
 * What the request path hands to the usage recorder when a request ends: raw facts only. Turning
 * them into tokens and cost (parsing, tokenizing) happens on the recorder's thread.
 *
 * @param model        the catalog model that answered (the one asked for, or a fallback), or null
 *                     if the name was unknown
 * @param askedModel   the name the client sent, or null if the body had none
 * @param deployment   where the request went, or null if it never reached an upstream
 * @param upstreamDialect the protocol the upstream answered in (null if none was reached)
 * @param requestBody  the body sent upstream, kept for estimating tokens if none are reported
 * @param ttftNanos    time to the first response byte, or -1
 * @param userId       the key's user, or null
 * @param teamId       the team the key spends for, or null
 * @param grant        the request's rate admission and budget reservation, which the recorder ends
 *                     with the measured usage; {@link Grant#NONE} if none applied
 * @param trace        the request's trace context while tracing is on, else null
 */
public record UsageEvent(String requestId, Instant timestamp, String keyId, String userId, String teamId, Endpoint endpoint,
                         Model model, String askedModel, Deployment deployment, int httpStatus, Outcome outcome,
                         long latencyNanos, long ttftNanos, boolean stream, boolean sse, Dialect upstreamDialect, byte[] requestBody,
                         ResponseSample response, Grant grant, TraceContext trace) {}
