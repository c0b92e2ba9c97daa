package dev.gantry.protocol;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Changes a request body in place, by splicing bytes at the offsets {@link RequestInspector}
 * found: the rest of the client's JSON (fields the gateway does not know included) reaches the
 * upstream byte for byte.
 */
public final class BodyRewriter {
    private static final byte[] INCLUDE_USAGE = "\"include_usage\":true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STREAM_OPTIONS = "\"stream_options\":{\"include_usage\":true}".getBytes(StandardCharsets.US_ASCII);

    private record Edit(int start, int end, byte[] replacement) {}

    private BodyRewriter() {}

    /**
     * @param upstreamModel      the model id the upstream knows the model by
     * @param forceIncludeUsage  make an OpenAI stream report usage in a final chunk
     */
    public static byte[] rewrite(byte[] body, RequestFacts facts, String upstreamModel, boolean forceIncludeUsage) {
        var edits = new ArrayList<Edit>(2);
        if (!upstreamModel.equals(facts.model())) {
            edits.add(new Edit(facts.modelStart(), facts.modelEnd(), quoted(upstreamModel)));
        }
        if (forceIncludeUsage && !facts.clientWantsUsage()) edits.add(includeUsage(facts));
        return edits.isEmpty() ? body : apply(body, edits);
    }

    private static Edit includeUsage(RequestFacts facts) {
        var so = facts.streamOptions();
        if (so == null) { // first field of the root object; the root has at least "model" after it
            return new Edit(facts.rootStart() + 1, facts.rootStart() + 1, concat(STREAM_OPTIONS, ","));
        }
        if (!so.isObject()) { // "stream_options": null
            return new Edit(so.valueStart(), so.valueEnd(), "{\"include_usage\":true}".getBytes(StandardCharsets.US_ASCII));
        }
        if (so.includeUsageStart() >= 0) {
            return new Edit(so.includeUsageStart(), so.includeUsageEnd(), "true".getBytes(StandardCharsets.US_ASCII));
        }
        return new Edit(so.valueStart() + 1, so.valueStart() + 1, concat(INCLUDE_USAGE, so.objectEmpty() ? "" : ","));
    }

    private static byte[] apply(byte[] body, List<Edit> edits) {
        edits.sort(Comparator.comparingInt(Edit::start));
        int size = body.length;
        for (Edit e : edits) size += e.replacement().length - (e.end() - e.start());
        byte[] out = new byte[size];
        int from = 0, to = 0;
        for (Edit e : edits) {
            int keep = e.start() - from;
            System.arraycopy(body, from, out, to, keep);
            to += keep;
            System.arraycopy(e.replacement(), 0, out, to, e.replacement().length);
            to += e.replacement().length;
            from = e.end();
        }
        System.arraycopy(body, from, out, to, body.length - from);
        return out;
    }

    private static byte[] quoted(String s) {
        byte[] escaped = JsonStringEncoder.getInstance().quoteAsUTF8(s);
        byte[] out = new byte[escaped.length + 2];
        out[0] = '"';
        System.arraycopy(escaped, 0, out, 1, escaped.length);
        out[out.length - 1] = '"';
        return out;
    }

    private static byte[] concat(byte[] a, String tail) {
        byte[] t = tail.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[a.length + t.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(t, 0, out, a.length, t.length);
        return out;
    }
}
