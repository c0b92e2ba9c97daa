package dev.gantry.bench;

/**
 * What a load sends, request after request: the protocol (so the path and how to judge the
 * answer), the body, and whether it asks for a stream.
 */
record Request(Api api, byte[] body, boolean stream) {
    static Request chat(byte[] body, boolean stream) {
        return new Request(Api.CHAT, body, stream);
    }

    static Request messages(byte[] body, boolean stream) {
        return new Request(Api.MESSAGES, body, stream);
    }
}
