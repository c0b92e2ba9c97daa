package dev.gantry.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;

/**
 * The hash chain that makes the audit log tamper-evident: each entry's hash covers the previous
 * entry's hash and the entry's own fields, so changing, removing or reordering any stored entry
 * breaks every link after it. (Whoever can rewrite the whole table can rewrite the whole chain;
 * the chain shows edits, it does not prevent them.)
 *
 * <p>The hashed bytes are unambiguous: every field is written as its UTF-8 length (4 bytes,
 * big-endian; -1 for null) followed by its bytes, so no two different entries encode alike, whatever
 * characters their fields hold.
 */
public final class AuditChain {
    /** The previous hash of the first entry. */
    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {}

    public static String hash(String prevHash, long seq, AuditEvent e) {
        var out = new ByteArrayOutputStream(256);
        for (String field : new String[] {prevHash, Long.toString(seq), e.at().toString(), e.actorId(), e.actorName(),
                e.action(), e.targetType(), e.targetId(), e.beforeJson(), e.afterJson(), e.address()}) {
            write(out, field);
        }
        return HexFormat.of().formatHex(sha256().digest(out.toByteArray()));
    }

    /** The seq of the first entry that does not follow from the one before it, if any. */
    public static OptionalLong verify(List<AuditEntry> inSeqOrder) {
        return verify(GENESIS, inSeqOrder);
    }

    /**
     * Like {@link #verify(List)} for a run of entries that continues after an entry whose hash is
     * {@code prevHash}: a long chain can be checked a page at a time.
     */
    public static OptionalLong verify(String prevHash, List<AuditEntry> inSeqOrder) {
        String expectedPrev = prevHash;
        for (AuditEntry entry : inSeqOrder) {
            if (!entry.prevHash().equals(expectedPrev) || !entry.hash().equals(hash(expectedPrev, entry.seq(), entry.event()))) {
                return OptionalLong.of(entry.seq());
            }
            expectedPrev = entry.hash();
        }
        return OptionalLong.empty();
    }

    private static void write(ByteArrayOutputStream out, String field) {
        if (field == null) {
            writeInt(out, -1);
            return;
        }
        byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
        writeInt(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
