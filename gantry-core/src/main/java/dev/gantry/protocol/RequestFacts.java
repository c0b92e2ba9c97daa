package dev.gantry.protocol;

/**
 * What the gateway needs to know of a request body, read without building a tree, with the byte
 * offsets {@link BodyRewriter} needs to change it in place.
 *
 * @param model              the model name the client asked for
 * @param stream             whether the client asked for a stream
 * @param clientWantsUsage   for OpenAI streams: the client itself set {@code stream_options.include_usage}
 * @param modelStart         offset of the opening quote of the {@code model} value
 * @param modelEnd           offset just past its closing quote
 * @param rootStart          offset of the body's opening brace
 * @param streamOptions      where {@code stream_options} sits, if present
 * @param maxTokens          the most output tokens the client allows ({@code max_tokens},
 *                           {@code max_completion_tokens} or {@code max_output_tokens}), or 0 if none
 */
public record RequestFacts(String model, boolean stream, boolean clientWantsUsage,
                           int modelStart, int modelEnd, int rootStart, StreamOptions streamOptions, long maxTokens) {

    /**
     * @param valueStart        offset where the value of {@code stream_options} starts
     * @param valueEnd          offset just past it
     * @param isObject          the value is an object (else null or another scalar)
     * @param objectEmpty       the object has no fields
     * @param includeUsageStart offset of the {@code include_usage} value, or -1 if absent
     * @param includeUsageEnd   offset just past that value
     */
    public record StreamOptions(int valueStart, int valueEnd, boolean isObject, boolean objectEmpty,
                                int includeUsageStart, int includeUsageEnd) {}
}
