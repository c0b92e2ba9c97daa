package dev.gantry.translate;

import dev.gantry.error.ErrorCode;
import java.io.ByteArrayOutputStream;

/**
 * Two translations in a row: the client's protocol to a middle one ({@code outer}), then the middle
 * one to the upstream's ({@code inner}). Serves Responses clients on Anthropic through Chat
 * Completions, so that no pair of protocols needs a translation of its own.
 */
final class ComposedTranslation implements Translation {
    private final Translation outer;
    private final Translation inner;

    ComposedTranslation(Translation outer, Translation inner) {
        this.outer = outer;
        this.inner = inner;
    }

    @Override
    public Translation forRequest(byte[] clientBody) {
        Translation boundOuter = outer.forRequest(clientBody);
        // the inner translation answers the middle request the outer one makes, not the client's
        return new ComposedTranslation(boundOuter, inner.forRequest(boundOuter.request(clientBody, "-")));
    }

    @Override
    public byte[] request(byte[] clientBody, String upstreamModel) {
        return inner.request(outer.request(clientBody, upstreamModel), upstreamModel);
    }

    @Override
    public byte[] response(byte[] upstreamBody, String clientModel) {
        return outer.response(inner.response(upstreamBody, clientModel), clientModel);
    }

    @Override
    public byte[] error(int status, byte[] upstreamBody) {
        return outer.error(inner.errorStatus(status), inner.error(status, upstreamBody));
    }

    @Override
    public int errorStatus(int upstreamStatus) {
        return outer.errorStatus(inner.errorStatus(upstreamStatus));
    }

    @Override
    public StreamTranslator stream(String clientModel) {
        StreamTranslator first = inner.stream(clientModel);
        StreamTranslator second = outer.stream(clientModel);
        return new StreamTranslator() {
            @Override
            public byte[] feed(byte[] upstreamChunk) {
                byte[] middle = first.feed(upstreamChunk);
                return middle.length == 0 ? middle : second.feed(middle);
            }

            @Override
            public byte[] end() {
                var out = new ByteArrayOutputStream();
                out.writeBytes(second.feed(first.end()));
                out.writeBytes(second.end());
                return out.toByteArray();
            }

            @Override
            public byte[] fail(ErrorCode code, String message) {
                return second.fail(code, message);
            }
        };
    }
}
