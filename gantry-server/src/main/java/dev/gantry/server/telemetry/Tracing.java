package dev.gantry.server.telemetry;

import dev.gantry.catalog.Deployment;
import dev.gantry.config.GatewayConfig.TelemetrySettings;
import dev.gantry.protocol.Endpoint;
import dev.gantry.server.usage.UsageEvent;
import dev.gantry.usage.Outcome;
import dev.gantry.usage.UsageRecord;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenTelemetry traces of data-plane requests, exported over OTLP/HTTP, following the GenAI
 * semantic conventions: one CLIENT span per request, named {@code "{operation} {model}"}.
 *
 * <p>Design: the request path does as little as possible. When a request arrives, {@link #begin}
 * fixes its trace context (the caller's trace if it sent a valid {@code traceparent}, else a new
 * one, sampled at {@code sample_ratio}) so the upstream call can carry a {@code traceparent}. The
 * span is built only when the usage recorder has measured the request ({@link #completed}, on the
 * recorder's spool thread), from the facts the usage event already holds, with explicit start and
 * end times; the SDK's batch processor exports it from its own thread. A span keeps the id given
 * to the upstream: an {@link IdGenerator} hands the SDK the ids fixed at {@code begin}.
 *
 * <p>With tracing off ({@link #off()}, the default) no SDK object exists, no exporter thread runs,
 * and requests carry no trace context. Spans never hold prompts, answers or keys: only ids, model
 * names, token counts, timings and statuses.
 */
public final class Tracing implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Tracing.class);
    private static final Tracing OFF = new Tracing(null, null, null, 0);

    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<Long> MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("gantry.request_id");
    static final AttributeKey<String> KEY_ID = AttributeKey.stringKey("gantry.key_id");
    static final AttributeKey<String> TEAM_ID = AttributeKey.stringKey("gantry.team_id");
    static final AttributeKey<String> USER_ID = AttributeKey.stringKey("gantry.user_id");
    static final AttributeKey<String> MODEL = AttributeKey.stringKey("gantry.model");
    static final AttributeKey<String> DEPLOYMENT = AttributeKey.stringKey("gantry.deployment");
    static final AttributeKey<Boolean> STREAM = AttributeKey.booleanKey("gantry.stream");
    static final AttributeKey<Long> TTFT_MS = AttributeKey.longKey("gantry.ttft_ms");
    static final AttributeKey<Boolean> ESTIMATED = AttributeKey.booleanKey("gantry.estimated_usage");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("gantry.outcome");

    private final SdkTracerProvider provider;
    private final Tracer tracer;
    private final PresetIds ids;
    private final double sampleRatio;

    private Tracing(SdkTracerProvider provider, Tracer tracer, PresetIds ids, double sampleRatio) {
        this.provider = provider;
        this.tracer = tracer;
        this.ids = ids;
        this.sampleRatio = sampleRatio;
    }

    /** No tracing: nothing built, nothing started. */
    public static Tracing off() { return OFF; }

    public static Tracing of(Optional<TelemetrySettings> settings) {
        return settings.map(Tracing::start).orElse(OFF);
    }

    /** Builds the SDK with a batch processor (one exporter thread) sending to {@code settings.tracesUrl()}. */
    public static Tracing start(TelemetrySettings settings) {
        var exporter = OtlpHttpSpanExporter.builder().setEndpoint(settings.tracesUrl().toString())
                .setTimeout(Duration.ofSeconds(10));
        settings.headers().forEach(exporter::addHeader);
        var ids = new PresetIds();
        var provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), settings.serviceName()))))
                .setIdGenerator(ids)
                .setSampler(Sampler.alwaysOn()) // sampled or not is decided in begin(), where the upstream needs to know
                .addSpanProcessor(BatchSpanProcessor.builder(exporter.build()).build())
                .build();
        URI url = settings.tracesUrl();
        log.info("tracing on: spans go to {}://{}:{} at sample ratio {}", url.getScheme(), url.getHost(), url.getPort(),
                settings.sampleRatio());
        return new Tracing(provider, provider.get("dev.gantry"), ids, settings.sampleRatio());
    }

    public boolean enabled() { return provider != null; }

    /**
     * The trace context of a request that just arrived; call only when {@link #enabled()}.
     *
     * @param traceparent the client's {@code traceparent} header, or null
     */
    public TraceContext begin(String traceparent) {
        String spanId = SpanId.fromLong(nonZero());
        // version-format: 00 is exactly 55 characters; a later version may append fields; ff is invalid
        if (traceparent != null && traceparent.length() >= 55 && traceparent.charAt(2) == '-'
                && traceparent.charAt(35) == '-' && traceparent.charAt(52) == '-' && !traceparent.startsWith("ff")
                && (traceparent.length() == 55 || !traceparent.startsWith("00") && traceparent.charAt(55) == '-')) {
            String traceId = traceparent.substring(3, 35);
            String parent = traceparent.substring(36, 52);
            if (TraceId.isValid(traceId) && SpanId.isValid(parent) && isHex(traceparent, 0, 2) && isHex(traceparent, 53, 55)) {
                boolean sampled = (Character.digit(traceparent.charAt(54), 16) & 1) == 1;
                return new TraceContext(traceId, spanId, parent, sampled);
            }
        }
        var random = ThreadLocalRandom.current();
        return new TraceContext(TraceId.fromLongs(nonZero(), random.nextLong()), spanId, null,
                sampleRatio >= 1 || random.nextDouble() < sampleRatio);
    }

    private static long nonZero() {
        long v;
        do v = ThreadLocalRandom.current().nextLong(); while (v == 0);
        return v;
    }

    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) if (Character.digit(s.charAt(i), 16) < 0) return false;
        return true;
    }

    /** Builds and ends the span of a measured request (on the usage recorder's thread). */
    public void completed(UsageEvent e, UsageRecord r) {
        TraceContext trace = e.trace();
        if (trace == null || !trace.sampled || e.endpoint() == Endpoint.COUNT_TOKENS) return;
        String operation = e.endpoint() == Endpoint.EMBEDDINGS ? "embeddings" : "chat";
        long start = TimeUnit.SECONDS.toNanos(e.timestamp().getEpochSecond()) + e.timestamp().getNano();
        SpanBuilder b = tracer.spanBuilder(e.askedModel() == null ? operation : operation + " " + e.askedModel())
                .setSpanKind(SpanKind.CLIENT).setStartTimestamp(start, TimeUnit.NANOSECONDS)
                .setAttribute(OPERATION, operation)
                .setAttribute(REQUEST_ID, e.requestId())
                .setAttribute(STREAM, e.stream())
                .setAttribute(HTTP_STATUS, (long) e.httpStatus())
                .setAttribute(OUTCOME, e.outcome().dbName());
        if (trace.parentSpanId != null) {
            b.setParent(Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(trace.traceId, trace.parentSpanId,
                    TraceFlags.getSampled(), TraceState.getDefault()))));
        } else {
            b.setNoParent();
        }
        if (e.askedModel() != null) b.setAttribute(REQUEST_MODEL, e.askedModel());
        if (trace.maxTokens() > 0) b.setAttribute(MAX_TOKENS, trace.maxTokens());
        if (e.keyId() != null) b.setAttribute(KEY_ID, e.keyId());
        if (e.teamId() != null) b.setAttribute(TEAM_ID, e.teamId());
        if (e.userId() != null) b.setAttribute(USER_ID, e.userId());
        if (e.model() != null) b.setAttribute(MODEL, e.model().name());
        Deployment d = e.deployment();
        if (d != null) {
            b.setAttribute(PROVIDER, d.provider().type().configName());
            b.setAttribute(RESPONSE_MODEL, d.upstreamModel());
            b.setAttribute(DEPLOYMENT, d.id());
            URI base = d.provider().baseUrl();
            b.setAttribute(SERVER_ADDRESS, base.getHost());
            b.setAttribute(SERVER_PORT, (long) (base.getPort() > 0 ? base.getPort() : "https".equals(base.getScheme()) ? 443 : 80));
        }
        if (r.usage().totalTokens() > 0 || e.outcome() == Outcome.OK) {
            b.setAttribute(INPUT_TOKENS, r.usage().inputTokens());
            b.setAttribute(OUTPUT_TOKENS, r.usage().outputTokens());
            b.setAttribute(ESTIMATED, r.usage().estimated());
        }
        if (r.ttftMillis() >= 0) b.setAttribute(TTFT_MS, r.ttftMillis());
        String error = errorType(e);
        if (error != null) b.setAttribute(ERROR_TYPE, error);
        Span span;
        ids.next.set(trace);
        try {
            span = b.startSpan();
        } finally {
            ids.next.remove();
        }
        if (error != null) span.setStatus(StatusCode.ERROR);
        span.end(start + e.latencyNanos(), TimeUnit.NANOSECONDS);
    }

    /** {@code error.type}: the ending for cut and cancelled answers, else the HTTP status of a failure. */
    private static String errorType(UsageEvent e) {
        return switch (e.outcome()) {
            case STREAM_CUT -> "stream_cut";
            case CANCELLED -> "cancelled";
            default -> e.httpStatus() >= 400 ? Integer.toString(e.httpStatus()) : null;
        };
    }

    /** Exports what is buffered and stops the exporter thread (waits up to 10 seconds). */
    @Override
    public void close() {
        if (provider == null) return;
        var done = provider.shutdown().join(10, TimeUnit.SECONDS);
        if (!done.isSuccess()) log.warn("tracing: spans still buffered at shutdown could not all be exported");
    }

    /** Gives the SDK the ids {@link #begin} fixed, so the span is the one the upstream was told of. */
    private static final class PresetIds implements IdGenerator {
        final ThreadLocal<TraceContext> next = new ThreadLocal<>();

        @Override
        public String generateSpanId() {
            TraceContext t = next.get();
            return t != null ? t.spanId : IdGenerator.random().generateSpanId();
        }

        @Override
        public String generateTraceId() {
            TraceContext t = next.get();
            return t != null ? t.traceId : IdGenerator.random().generateTraceId();
        }

        @Override
        public String toString() { return "PresetIds"; }
    }
}
