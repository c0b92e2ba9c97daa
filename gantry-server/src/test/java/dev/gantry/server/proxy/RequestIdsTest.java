package dev.gantry.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void idsSortByTheMillisecondTheyWereMadeIn() throws InterruptedException {
        String earlier = RequestIds.next();
        Thread.sleep(2);
        String later = RequestIds.next();
        assertThat(earlier).matches("req_[0-9a-f]{28}");
        assertThat(later.compareTo(earlier)).isPositive();
        assertThat(Long.parseLong(later.substring(4, 16), 16)).isCloseTo(System.currentTimeMillis(),
                org.assertj.core.data.Offset.offset(5_000L));
    }

    @Test
    void idsMadeInTheSameMillisecondStillDiffer() {
        var seen = new HashSet<String>();
        for (int i = 0; i < 100_000; i++) assertThat(seen.add(RequestIds.next())).isTrue();
    }
}
