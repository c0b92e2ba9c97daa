package dev.gantry.usage;

/**
 * The ends of a response body, which is all the gateway keeps of it: usage is reported there.
 *
 * @param head        the first bytes
 * @param tail        the last bytes
 * @param tailIsWhole the tail holds the entire body
 * @param totalBytes  the body's full length
 */
public record ResponseSample(byte[] head, byte[] tail, boolean tailIsWhole, long totalBytes) {}
