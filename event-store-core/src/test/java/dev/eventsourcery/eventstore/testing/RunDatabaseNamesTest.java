package dev.eventsourcery.eventstore.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class RunDatabaseNamesTest {

    private static final Instant NOW = Instant.parse("2025-03-10T12:00:00Z");

    @Test
    void namesAreLowerCaseWithTheCreationTimeInUtcAndDifferWithinOneSecond() {
        String name = RunDatabaseNames.newName(NOW);

        assertThat(name).matches("es_test_20250310120000_[0-9a-f]{8}");
        assertThat(RunDatabaseNames.newName(NOW)).isNotEqualTo(name);
    }

    @Test
    void aRunsDatabaseIsALeftoverOnlyOnceItIsOlderThanADay() {
        String name = RunDatabaseNames.newName(NOW);

        assertThat(RunDatabaseNames.isLeftover(name, NOW)).isFalse();
        assertThat(RunDatabaseNames.isLeftover(name, NOW.plus(Duration.ofHours(23)))).isFalse();
        assertThat(RunDatabaseNames.isLeftover(name, NOW.plus(Duration.ofHours(24)))).isFalse();
        assertThat(RunDatabaseNames.isLeftover(name, NOW.plus(Duration.ofHours(24)).plusSeconds(1))).isTrue();
    }

    @Test
    void databasesOfOtherNamesAreNeverLeftovers() {
        Instant muchLater = NOW.plus(Duration.ofDays(365));

        assertThat(RunDatabaseNames.isLeftover("test", muchLater)).isFalse();
        assertThat(RunDatabaseNames.isLeftover("bank", muchLater)).isFalse();
        assertThat(RunDatabaseNames.isLeftover("es_test_20250310120000_abcdefgh", muchLater)).isFalse();
        assertThat(RunDatabaseNames.isLeftover("es_test_20251340120000_0123abcd", muchLater)).isFalse();
        assertThat(RunDatabaseNames.isLeftover("es_test_20250310120000_0123abcd_backup", muchLater)).isFalse();
    }
}
