package dev.gantry.translate;

/**
 * Carries one request from the client's protocol to the upstream's and its answer back, when the
 * two differ (an Anthropic client on an OpenAI-compatible server, an OpenAI client on Anthropic,
 * a Responses client on Chat Completions). Implementations are stateless and thread-safe; the
 * state of one streamed answer lives in the {@link StreamTranslator} that {@link #stream} makes.
 *
 * <p>Bodies are JSON bytes. A translation may build trees (it is off the pass-through hot path),
 * but a stream is translated event by event as it arrives, never buffered whole.
 */
public interface Translation {

    /**
     * This translation bound to one client request, for translations whose answer depends on what
     * the client asked (whether it wanted stream usage, which tools it declared). Called once per
     * request, before {@link #request}; the default has nothing to bind.
     */
    default Translation forRequest(byte[] clientBody) { return this; }

    /**
     * The upstream request body for the client's body.
     *
     * @param clientBody     the client's request, already known to be a JSON object with a model
     * @param upstreamModel  the model id the upstream knows the model by
     * @throws dev.gantry.error.GatewayException {@code INVALID_REQUEST} for input the client's own
     *         API would reject, with a message saying what is wrong
     */
    byte[] request(byte[] clientBody, String upstreamModel);

    /**
     * The client's answer for a complete (non-streaming) upstream answer.
     *
     * @param clientModel the model name the client asked for, echoed back in the answer
     */
    byte[] response(byte[] upstreamBody, String clientModel);

    /** The client's error body for an upstream error answer ({@code status} >= 400). */
    byte[] error(int status, byte[] upstreamBody);

    /** The client-side status for an upstream error status (e.g. Anthropic's 529 for OpenAI clients). */
    default int errorStatus(int upstreamStatus) { return upstreamStatus; }

    /** A translator for one streamed answer. */
    StreamTranslator stream(String clientModel);
}
