package dev.gantry.error;

/**
 * Every failure the gateway reports, defined once: its HTTP status and how each client protocol
 * names it. The one place that turns failures into responses reads these; nothing else decides a
 * status.
 *
 * <p>{@code openAiType}/{@code openAiCode} follow OpenAI's {@code {"error":{"type","code"}}};
 * {@code anthropicType} follows Anthropic's {@code {"type":"error","error":{"type"}}}.
 * {@code fallbackAllowed} says whether another deployment may be tried (routing uses it).
 */
public enum ErrorCode {
    INVALID_JSON(400, "invalid_request_error", "invalid_json", "invalid_request_error", false),
    INVALID_REQUEST(400, "invalid_request_error", "invalid_request", "invalid_request_error", false),
    MISSING_MODEL(400, "invalid_request_error", "missing_model", "invalid_request_error", false),
    MISSING_API_KEY(401, "invalid_request_error", "missing_api_key", "authentication_error", false),
    INVALID_API_KEY(401, "invalid_request_error", "invalid_api_key", "authentication_error", false),
    FORBIDDEN(403, "permission_error", "forbidden", "permission_error", false),
    MODEL_NOT_ALLOWED(403, "permission_error", "model_not_allowed", "permission_error", false),
    UNKNOWN_MODEL(404, "invalid_request_error", "model_not_found", "not_found_error", false),
    NOT_FOUND(404, "invalid_request_error", "not_found", "not_found_error", false),
    CONFLICT(409, "invalid_request_error", "conflict", "invalid_request_error", false),
    METHOD_NOT_ALLOWED(405, "invalid_request_error", "method_not_allowed", "invalid_request_error", false),
    CAPACITY(429, "rate_limit_error", "capacity_exceeded", "rate_limit_error", true),
    /** A budget of the key, its user, its team or the organisation has no room for the request. */
    BUDGET_EXCEEDED(429, "insufficient_quota", "budget_exceeded", "rate_limit_error", false),
    /** A rate limit (requests, tokens per minute, requests in flight) of the key, user, team or model. */
    RATE_LIMITED(429, "rate_limit_error", "rate_limit_exceeded", "rate_limit_error", false),
    BODY_TOO_LARGE(413, "invalid_request_error", "request_too_large", "request_too_large", false),
    UNSUPPORTED_PROTOCOL(400, "invalid_request_error", "unsupported_protocol", "invalid_request_error", false),
    UPSTREAM_UNREACHABLE(502, "api_error", "upstream_unreachable", "api_error", true),
    UPSTREAM_STREAM_CUT(502, "api_error", "upstream_stream_cut", "api_error", false),
    UPSTREAM_INVALID_RESPONSE(502, "api_error", "upstream_invalid_response", "api_error", true),
    UPSTREAM_TIMEOUT(504, "api_error", "upstream_timeout", "timeout_error", true),
    NO_HEALTHY_DEPLOYMENT(503, "api_error", "no_healthy_deployment", "overloaded_error", true),
    INTERNAL(500, "api_error", "internal_error", "api_error", false);

    private final int httpStatus;
    private final String openAiType;
    private final String openAiCode;
    private final String anthropicType;
    private final boolean fallbackAllowed;

    ErrorCode(int httpStatus, String openAiType, String openAiCode, String anthropicType, boolean fallbackAllowed) {
        this.httpStatus = httpStatus;
        this.openAiType = openAiType;
        this.openAiCode = openAiCode;
        this.anthropicType = anthropicType;
        this.fallbackAllowed = fallbackAllowed;
    }

    public int httpStatus() { return httpStatus; }
    public String openAiType() { return openAiType; }
    public String openAiCode() { return openAiCode; }
    public String anthropicType() { return anthropicType; }
    public boolean fallbackAllowed() { return fallbackAllowed; }
}
