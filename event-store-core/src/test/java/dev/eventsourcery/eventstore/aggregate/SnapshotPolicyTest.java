package dev.eventsourcery.eventstore.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The snapshot policies the API ships. */
class SnapshotPolicyTest {

    @Test
    void neverSaysNo() {
        SnapshotPolicy<String> never = SnapshotPolicy.never();

        assertThat(never.shouldSnapshot("state", 1, 1)).isFalse();
        assertThat(never.shouldSnapshot("state", Long.MAX_VALUE, Long.MAX_VALUE)).isFalse();
    }

    @Test
    void everyEventsSaysYesOnceAtLeastThatManyEventsFollowedTheLastSnapshot() {
        SnapshotPolicy<String> everyThree = SnapshotPolicy.everyEvents(3);

        assertThat(everyThree.shouldSnapshot("state", 2, 2)).isFalse();
        assertThat(everyThree.shouldSnapshot("state", 3, 3)).isTrue();
        assertThat(everyThree.shouldSnapshot("state", 7, 4)).isTrue();
        assertThat(everyThree.shouldSnapshot("state", 7, 1)).isFalse();
        assertThat(SnapshotPolicy.<String>everyEvents(1).shouldSnapshot("state", 9, 1)).isTrue();
    }

    @Test
    void everyEventsNeedsAPositiveNumber() {
        assertThatThrownBy(() -> SnapshotPolicy.everyEvents(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
        assertThatThrownBy(() -> SnapshotPolicy.everyEvents(-5)).isInstanceOf(IllegalArgumentException.class);
    }
}
