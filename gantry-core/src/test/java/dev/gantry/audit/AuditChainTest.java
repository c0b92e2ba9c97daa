package dev.gantry.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The audit chain shows any change to a stored entry, its order or its neighbours. */
class AuditChainTest {
    static final Instant T0 = Instant.parse("2025-06-01T12:00:00.123456Z");

    static AuditEvent event(int i) {
        return new AuditEvent(T0.plusSeconds(i), "usr_" + i, "user " + i, "key.create", "key", "key_" + i,
                null, "{\"name\":\"k" + i + "\"}", "10.0.0." + i);
    }

    static List<AuditEntry> chain(int length) {
        var entries = new ArrayList<AuditEntry>();
        String prev = AuditChain.GENESIS;
        for (int i = 1; i <= length; i++) {
            AuditEntry e = AuditEntry.link(i, event(i), prev);
            entries.add(e);
            prev = e.hash();
        }
        return entries;
    }

    static AuditEntry withAction(AuditEntry e, String action) {
        return new AuditEntry(e.seq(), e.at(), e.actorId(), e.actorName(), action, e.targetType(), e.targetId(),
                e.beforeJson(), e.afterJson(), e.address(), e.prevHash(), e.hash());
    }

    @Test
    void anUntouchedChainVerifies() {
        assertThat(AuditChain.verify(chain(10))).isEmpty();
        assertThat(AuditChain.verify(List.of())).isEmpty();
    }

    @Test
    void theHashIsSha256Hex() {
        assertThat(chain(1).get(0).hash()).matches("[0-9a-f]{64}");
        assertThat(chain(1).get(0).prevHash()).isEqualTo(AuditChain.GENESIS);
    }

    @Test
    void aChangedFieldBreaksTheChainAtThatEntry() {
        List<AuditEntry> entries = new ArrayList<>(chain(5));
        entries.set(2, withAction(entries.get(2), "key.revoke"));

        assertThat(AuditChain.verify(entries)).hasValue(3);
    }

    @Test
    void aRemovedEntryBreaksTheChainAtTheOneAfterIt() {
        List<AuditEntry> entries = new ArrayList<>(chain(5));
        entries.remove(1);

        assertThat(AuditChain.verify(entries)).hasValue(3);
    }

    @Test
    void swappedEntriesBreakTheChain() {
        List<AuditEntry> entries = new ArrayList<>(chain(5));
        entries.set(1, chain(5).get(2));
        entries.set(2, chain(5).get(1));

        assertThat(AuditChain.verify(entries)).hasValue(3);
    }

    @Test
    void aRehashedEntryStillBreaksTheLinkToTheNext() {
        List<AuditEntry> entries = new ArrayList<>(chain(5));
        AuditEntry forged = withAction(entries.get(1), "key.revoke");
        entries.set(1, AuditEntry.link(forged.seq(), forged.event(), forged.prevHash()));

        assertThat(AuditChain.verify(entries)).hasValue(3);
    }

    @Test
    void fieldsCannotBeShiftedIntoTheirNeighbours() {
        var a = new AuditEvent(T0, "ab", "c", "x.y", null, null, null, null, null);
        var b = new AuditEvent(T0, "a", "bc", "x.y", null, null, null, null, null);
        var empty = new AuditEvent(T0, "", "c", "x.y", null, null, null, null, null);
        var none = new AuditEvent(T0, null, "c", "x.y", null, null, null, null, null);

        assertThat(AuditChain.hash(AuditChain.GENESIS, 1, a)).isNotEqualTo(AuditChain.hash(AuditChain.GENESIS, 1, b));
        assertThat(AuditChain.hash(AuditChain.GENESIS, 1, empty)).isNotEqualTo(AuditChain.hash(AuditChain.GENESIS, 1, none));
    }

    @Test
    void theSeqIsPartOfTheHash() {
        assertThat(AuditChain.hash(AuditChain.GENESIS, 1, event(1))).isNotEqualTo(AuditChain.hash(AuditChain.GENESIS, 2, event(1)));
    }

    @Test
    void aChainVerifiesAPageAtATime() {
        List<AuditEntry> entries = chain(6);

        assertThat(AuditChain.verify(entries.subList(0, 3))).isEmpty();
        assertThat(AuditChain.verify(entries.get(2).hash(), entries.subList(3, 6))).isEmpty();
        assertThat(AuditChain.verify(entries.get(1).hash(), entries.subList(3, 6))).hasValue(4);
    }

    @Test
    void timesAreKeptToTheMicrosecondSoThatStoredEntriesHashAlike() {
        var precise = new AuditEvent(T0.plusNanos(789), "a", "a", "x.y", null, null, null, null, null);
        var stored = new AuditEvent(T0, "a", "a", "x.y", null, null, null, null, null);

        assertThat(precise).isEqualTo(stored);
        assertThat(AuditChain.hash(AuditChain.GENESIS, 1, precise)).isEqualTo(AuditChain.hash(AuditChain.GENESIS, 1, stored));
    }
}
