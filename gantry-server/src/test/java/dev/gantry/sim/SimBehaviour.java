package dev.gantry.sim;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Objects;

/**
 * How the simulated model server answers: timing, size of the answer, and the faults to inject.
 *
 * <p>Immutable; derive variants with the {@code with...} methods from {@link #healthy()}. The
 * record's component names are also its JSON field names, used by {@code POST /sim/behaviour}
 * (a full replacement: missing fields take the healthy defaults) and by the per-request override
 * {@code SIM{...}} in a message text (missing fields keep the simulator's current behaviour).
 *
 * @param latencyMs delay before the response headers (every endpoint, errors included)
 * @param chunks number of content pieces of an answer: text chunks {@code "tok0 "}, {@code "tok1 "}...,
 *     or the number of fragments a tool call's arguments and the reasoning text are split into;
 *     each piece counts as one completion token
 * @param chunkDelayMs gap before each content piece of a stream (framing events are not delayed)
 * @param cachedTokens prompt tokens reported as read from the prompt cache, on top of the
 *     request's own estimate: OpenAI {@code prompt_tokens_details.cached_tokens} (and included in
 *     {@code prompt_tokens}), Anthropic {@code cache_read_input_tokens} (not in {@code input_tokens})
 * @param cacheCreationTokens Anthropic {@code cache_creation_input_tokens}; OpenAI has no such field
 * @param status HTTP status to answer with; anything but 200 answers with an error body in the
 *     endpoint's protocol
 * @param retryAfterSeconds value of the {@code retry-after} header on error answers; negative for none
 * @param fault the transport or protocol fault to inject; {@link Fault#NONE} for a healthy answer
 * @param cutAfterChunks with {@link Fault#CUT_MID_STREAM}: content pieces sent before the cut
 * @param toolCall when not null, answer with this tool call instead of text
 * @param reasoning when not null, reasoning text sent before the answer (OpenAI-compatible
 *     {@code reasoning_content}, Anthropic {@code thinking} block)
 * @param expectedApiKey when not null, the key the client must send ({@code Authorization: Bearer}
 *     on OpenAI endpoints, {@code x-api-key} on Anthropic ones)
 * @param embeddingDimensions length of each vector returned by {@code /v1/embeddings}
 */
public record SimBehaviour(
        int latencyMs,
        int chunks,
        int chunkDelayMs,
        int cachedTokens,
        int cacheCreationTokens,
        int status,
        int retryAfterSeconds,
        Fault fault,
        int cutAfterChunks,
        ToolCall toolCall,
        String reasoning,
        String expectedApiKey,
        int embeddingDimensions) {

    /** Faults a real upstream shows; each one is a path the gateway must handle. */
    public enum Fault {
        /** A healthy answer. */
        NONE,
        /** The TCP connection is closed without any response byte. */
        RESET_BEFORE_RESPONSE,
        /** A stream stops after {@code cutAfterChunks} content pieces: the connection is closed with
         * no final chunk, {@code [DONE]} or {@code message_stop}; a JSON body stops half-way. */
        CUT_MID_STREAM,
        /** The request is accepted and never answered. */
        HANG,
        /** A syntactically broken data line in the middle of a stream (a truncated JSON body when
         * not streaming); the stream then goes on and ends normally. */
        MALFORMED_SSE,
        /** No usage anywhere, even when the request asked for it: the gateway must estimate. */
        NO_USAGE,
        /** The stream ends normally but no chunk carries a finish reason (Anthropic: the
         * {@code message_delta} has {@code stop_reason: null}). */
        NO_FINISH_REASON
    }

    /**
     * A tool call the model makes instead of answering with text.
     *
     * @param name the function name
     * @param arguments the arguments as a JSON text, streamed in {@code chunks} fragments
     */
    public record ToolCall(String name, String arguments) {
        public ToolCall {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(arguments, "arguments");
        }
    }

    private static final ObjectMapper JSON = Json.MAPPER;

    private static final SimBehaviour HEALTHY =
            new SimBehaviour(0, 5, 0, 0, 0, 200, -1, Fault.NONE, 2, null, null, null, 8);

    public SimBehaviour {
        if (latencyMs < 0 || chunks < 0 || chunkDelayMs < 0 || cachedTokens < 0
                || cacheCreationTokens < 0 || cutAfterChunks < 0) {
            throw new IllegalArgumentException("negative value in " + this);
        }
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP status: " + status);
        }
        if (embeddingDimensions < 1) {
            throw new IllegalArgumentException("embeddingDimensions must be at least 1");
        }
        // JSON may say "fault": null; a missing fault means no fault.
        fault = fault == null ? Fault.NONE : fault;
    }

    /** A fast, well-behaved server: 5 chunks, no delay, no fault. */
    public static SimBehaviour healthy() {
        return HEALTHY;
    }

    public SimBehaviour withLatencyMs(int v) {
        return new SimBehaviour(v, chunks, chunkDelayMs, cachedTokens, cacheCreationTokens, status,
                retryAfterSeconds, fault, cutAfterChunks, toolCall, reasoning, expectedApiKey,
                embeddingDimensions);
    }

    public SimBehaviour withChunks(int v) {
        return new SimBehaviour(latencyMs, v, chunkDelayMs, cachedTokens, cacheCreationTokens, status,
                retryAfterSeconds, fault, cutAfterChunks, toolCall, reasoning, expectedApiKey,
                embeddingDimensions);
    }

    public SimBehaviour withChunkDelayMs(int v) {
        return new SimBehaviour(latencyMs, chunks, v, cachedTokens, cacheCreationTokens, status,
                retryAfterSeconds, fault, cutAfterChunks, toolCall, reasoning, expectedApiKey,
                embeddingDimensions);
    }

    public SimBehaviour withCachedTokens(int v) {
        return new SimBehaviour(latencyMs, chunks, chunkDelayMs, v, cacheCreationTokens, status,
                retryAfterSeconds, fault, cutAfterChunks, toolCall, reasoning, expectedApiKey,
                embeddingDimensions);
    }

    public SimBehaviour withCacheCreationTokens(int v) {
        return new SimBehaviour(latencyMs, chunks, chunkDelayMs, cachedTokens, v, status,
                retryAfterSeconds, fault, cutAfterChunks, toolCall, reasoning, expectedApiKey,
                embeddingDimensions);
    }

    /** Answer with this HTTP status and an error body (no {@code retry-after} header). */
    public SimBehaviour withStatus(int v) {
        return new SimBehaviour(latencyMs, chunks, chunkDelayMs, cachedTokens, cacheCreationTokens, v,
                -1, fault, cutAfterChunks, toolCall, reasoning, expectedApiKey, embeddingDimensions);
    }

    /** Answer with this HTTP status, an error body and {@code retry-after: retryAfterSeconds}. */
    public SimBehaviour withStatus(int v, int retryAfterSeconds) {
        return new SimBehaviour(latencyMs, chunks, chunkDelayMs, cachedTokens, cacheCreationTokens, v,
                retryAfterSeconds, fault, cutAfterChunks, toolCall, reasoning, expectedApiKey,
                embeddingDimensions);
    }

    public SimBehaviour withFault(Fault v) {
        return new SimBehaviour(latencyMs, chunks, chunkDelayMs, cachedTokens, cacheCreationTokens,
                status, retryAfterSeconds, v, cutAfterChunks, toolCall, reasoning, expectedApiKey,
                embeddingDimensions);
    }

    /** {@link Fault#CUT_MID_STREAM} after {@code afterChunks} content pieces. */
    public SimBehaviour withCutAfterChunks(int afterChunks) {
        return new SimBehaviour(latencyMs, chunks, chunkDelayMs, cachedTokens, cacheCreationTokens,
                status, retryAfterSeconds, Fault.CUT_MID_STREAM, afterChunks, toolCall, reasoning,
                expectedApiKey, embeddingDimensions);
    }

    public SimBehaviour withToolCall(String name, String argumentsJson) {
        return new SimBehaviour(latencyMs, chunks, chunkDelayMs, cachedTokens, cacheCreationTokens,
                status, retryAfterSeconds, fault, cutAfterChunks, new ToolCall(name, argumentsJson),
                reasoning, expectedApiKey, embeddingDimensions);
    }

    public SimBehaviour withoutToolCall() {
        return new SimBehaviour(latencyMs, chunks, chunkDelayMs, cachedTokens, cacheCreationTokens,
                status, retryAfterSeconds, fault, cutAfterChunks, null, reasoning, expectedApiKey,
                embeddingDimensions);
    }

    /** Reasoning text to send before the answer; null for none. */
    public SimBehaviour withReasoning(String v) {
        return new SimBehaviour(latencyMs, chunks, chunkDelayMs, cachedTokens, cacheCreationTokens,
                status, retryAfterSeconds, fault, cutAfterChunks, toolCall, v, expectedApiKey,
                embeddingDimensions);
    }

    /** The API key clients must present; null to accept any request. */
    public SimBehaviour withExpectedApiKey(String v) {
        return new SimBehaviour(latencyMs, chunks, chunkDelayMs, cachedTokens, cacheCreationTokens,
                status, retryAfterSeconds, fault, cutAfterChunks, toolCall, reasoning, v,
                embeddingDimensions);
    }

    public SimBehaviour withEmbeddingDimensions(int v) {
        return new SimBehaviour(latencyMs, chunks, chunkDelayMs, cachedTokens, cacheCreationTokens,
                status, retryAfterSeconds, fault, cutAfterChunks, toolCall, reasoning, expectedApiKey, v);
    }

    /** This behaviour as the JSON {@code POST /sim/behaviour} and {@code SIM{...}} accept. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A full behaviour from JSON: fields left out take the {@link #healthy()} values. */
    public static SimBehaviour fromJson(String json) {
        try {
            return healthy().overlay(JSON.readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a SimBehaviour JSON object: " + e.getMessage(), e);
        }
    }

    /**
     * This behaviour with the fields present in {@code patch} replaced. Unknown fields are an
     * error, so that a typo in a test's {@code SIM{...}} fails loudly instead of being ignored.
     */
    SimBehaviour overlay(JsonNode patch) throws IOException {
        if (!(patch instanceof ObjectNode fields)) {
            throw new IOException("expected a JSON object, got " + patch.getNodeType());
        }
        ObjectNode merged = JSON.valueToTree(this);
        merged.setAll(fields);
        return JSON.treeToValue(merged, SimBehaviour.class);
    }

    /**
     * The per-request override in a message text: the JSON object right after the first
     * {@code SIM} marker, laid over this behaviour. Text after the object is ignored.
     *
     * @param text a message text known to contain {@code "SIM{"} at {@code markerAt}
     */
    SimBehaviour overlayFromMarker(String text, int markerAt) throws IOException {
        // Reading one value from a parser stops after the object, whatever follows it.
        try (JsonParser parser = JSON.createParser(text.substring(markerAt + 3))) {
            JsonNode patch = JSON.readTree(parser);
            if (patch == null) {
                throw new IOException("nothing after SIM");
            }
            return overlay(patch);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
