package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.store.RequestBodyRepository.Bodies;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Captured bodies: stored whole up to the column's size, found by request id, deleted by age. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabases.class)
class RequestBodyRepositoryTest {
    static final Instant T0 = Instant.parse("2026-12-01T09:00:00.123456Z");

    @Parameter
    TestDatabases backend;
    TestDatabases.Fresh db;
    RequestBodyRepository bodies;

    @BeforeEach
    void create() {
        db = backend.create();
        bodies = new RequestBodyRepository(db.database().dataSource());
    }

    @AfterEach
    void drop() { if (db != null) db.close(); }

    @Test
    void bodiesRoundTrip() {
        var b = new Bodies("req_1", T0, "{\"messages\":[{\"content\":\"Le modèle 🚀\"}]}", "data: {}\n\n", false);
        bodies.insert(b);

        assertThat(bodies.findByRequestId("req_1")).contains(b);
        assertThat(bodies.findByRequestId("req_2")).isEmpty();
    }

    @Test
    void theColumnsHoldAMillionCharacters() {
        String big = "é".repeat(RequestBodyRepository.MAX_CHARS);
        bodies.insert(new Bodies("req_1", T0, big, big, true));

        var found = bodies.findByRequestId("req_1").orElseThrow();
        assertThat(found.requestBody()).isEqualTo(big);
        assertThat(found.responseBody()).hasSize(RequestBodyRepository.MAX_CHARS);
        assertThat(found.truncated()).isTrue();
    }

    @Test
    void aRequestIsCapturedOnce() {
        bodies.insert(new Bodies("req_1", T0, "a", "b", false));
        assertThatThrownBy(() -> bodies.insert(new Bodies("req_1", T0, "c", "d", false)))
                .isInstanceOf(StoreException.class);
    }

    @Test
    void bodiesCapturedBeforeACutoffAreDeleted() {
        bodies.insert(new Bodies("req_old", T0.minusSeconds(1), "a", "b", false));
        bodies.insert(new Bodies("req_at", T0, "c", "d", false));
        bodies.insert(new Bodies("req_new", T0.plusSeconds(3600), "e", "f", false));

        assertThat(bodies.deleteCapturedBefore(T0, 10)).isEqualTo(1);

        assertThat(bodies.findByRequestId("req_old")).isEmpty();
        assertThat(bodies.findByRequestId("req_at")).isPresent();
        assertThat(bodies.findByRequestId("req_new")).isPresent();
    }

    @Test
    void aDeletionTakesTheOldestFirstAndNoMoreThanItsLimit() {
        for (int i = 0; i < 5; i++) bodies.insert(new Bodies("req_" + i, T0.plusSeconds(i), "a", "b", false));

        assertThat(bodies.deleteCapturedBefore(T0.plusSeconds(60), 2)).isEqualTo(2);

        assertThat(bodies.findByRequestId("req_1")).isEmpty();
        assertThat(bodies.findByRequestId("req_2")).isPresent();
        assertThat(bodies.deleteCapturedBefore(T0.plusSeconds(60), 10)).isEqualTo(3);
    }
}
