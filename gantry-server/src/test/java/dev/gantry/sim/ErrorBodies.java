package dev.gantry.sim;

/**
 * Error bodies as the real APIs send them, so that the gateway's error mapping is tested against
 * the real shapes: OpenAI {@code {"error":{"message","type","param","code"}}}, Anthropic
 * {@code {"type":"error","error":{"type","message"},"request_id"}}.
 */
final class ErrorBodies {
    private ErrorBodies() {}

    /** The error body for {@code status} with the API's usual wording for it. */
    static String forStatus(Protocol protocol, int status, String model, String requestId) {
        return protocol == Protocol.OPENAI
                ? openAi(status, openAiMessage(status, model), openAiType(status), null, openAiCode(status))
                : anthropic(anthropicType(status), anthropicMessage(status), requestId);
    }

    /** A 400 for a request the server cannot accept, with the given explanation. */
    static String invalidRequest(Protocol protocol, String message, String param, String requestId) {
        return protocol == Protocol.OPENAI
                ? openAi(400, message, "invalid_request_error", param, null)
                : anthropic("invalid_request_error", message, requestId);
    }

    /** The 401 for a missing or wrong API key. */
    static String unauthorized(Protocol protocol, boolean keyPresent, String requestId) {
        if (protocol == Protocol.ANTHROPIC) {
            return anthropic("authentication_error", "invalid x-api-key", requestId);
        }
        return keyPresent
                ? openAi(401, "Incorrect API key provided. You can find your API key at"
                        + " https://platform.openai.com/account/api-keys.", "invalid_request_error", null,
                        "invalid_api_key")
                : openAi(401, "You didn't provide an API key. You need to provide your API key in an"
                        + " Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                        "invalid_request_error", null, null);
    }

    static String openAi(int status, String message, String type, String param, String code) {
        StringBuilder out = new StringBuilder(160).append("{\"error\":{\"message\":");
        Json.quote(out, message).append(",\"type\":");
        Json.quote(out, type).append(",\"param\":");
        Json.quote(out, param).append(",\"code\":");
        return Json.quote(out, code).append("}}").toString();
    }

    /** Anthropic's error body; {@code requestId} repeats the {@code request-id} header, as Anthropic does. */
    static String anthropic(String type, String message, String requestId) {
        StringBuilder out = new StringBuilder(160).append("{\"type\":\"error\",\"error\":{\"type\":");
        Json.quote(out, type).append(",\"message\":");
        Json.quote(out, message).append("},\"request_id\":");
        return Json.quote(out, requestId).append('}').toString();
    }

    private static String openAiType(int status) {
        return switch (status) {
            case 400, 401, 404, 409, 413, 422 -> "invalid_request_error";
            // OpenAI's rate-limit errors are typed by the exhausted limit: "requests" or "tokens".
            case 429 -> "requests";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    private static String openAiCode(int status) {
        return switch (status) {
            case 401 -> "invalid_api_key";
            case 404 -> "model_not_found";
            case 429 -> "rate_limit_exceeded";
            default -> null;
        };
    }

    private static String openAiMessage(int status, String model) {
        String m = model == null ? "the model" : model;
        return switch (status) {
            case 400 -> "Invalid request.";
            case 401 -> "Incorrect API key provided.";
            case 403 -> "You are not allowed to sample from this model";
            case 404 -> "The model `" + m + "` does not exist or you do not have access to it.";
            case 429 -> "Rate limit reached for " + m + " on requests per min (RPM): Limit 3, Used 3,"
                    + " Requested 1. Please try again in 20s.";
            case 500 -> "The server had an error while processing your request. Sorry about that!";
            case 502 -> "Bad gateway.";
            case 503 -> "The server is overloaded or not ready yet.";
            default -> "Simulated error " + status + ".";
        };
    }

    private static String anthropicType(int status) {
        return switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 504 -> "timeout_error";
            case 529 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    private static String anthropicMessage(int status) {
        return switch (status) {
            case 400 -> "Invalid request.";
            case 401 -> "invalid x-api-key";
            case 403 -> "Your API key does not have permission to use the specified resource.";
            case 404 -> "The requested resource could not be found.";
            case 413 -> "Request exceeds the maximum allowed number of bytes.";
            case 429 -> "Number of request tokens has exceeded your per-minute rate limit.";
            case 500 -> "Internal server error";
            case 504 -> "Request timed out.";
            case 529 -> "Overloaded";
            default -> "Simulated error " + status + ".";
        };
    }
}
