package dev.gantry.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import org.junit.jupiter.api.Test;

class IdsTest {
    @Test
    void idsSayWhatTheyNameAndCarry80RandomBits() {
        assertThat(Ids.user()).matches("usr_[0-9a-hjkmnp-tv-z]{16}");
        assertThat(Ids.team()).matches("team_[0-9a-hjkmnp-tv-z]{16}");
    }

    @Test
    void idsDoNotRepeat() {
        var seen = new HashSet<String>();
        for (int i = 0; i < 10_000; i++) assertThat(seen.add(Ids.user())).isTrue();
    }
}
