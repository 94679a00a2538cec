package dev.eventsourcery.eventstore.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The Flyway migrations and the Liquibase changelog shipped in the jar create the same schema as the
 * scripts the starter runs. While the schema has one version, its migration is the script itself; a later
 * version adds a migration beside it, and this test then compares the script with the migrations applied in
 * order. Running them against real databases is the starter's {@code SchemaManagementTest}.
 */
class MigrationScriptsTest {

    private static final List<String> PLATFORMS = List.of("postgresql", "mariadb", "h2");

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb", "h2"})
    void theFirstMigrationIsTheSchemaScript(String platform) throws IOException {
        assertThat(resource("db/event-store/flyway/" + platform + "/V0_1__event_store_schema.sql"))
                .isEqualTo(resource("dev/eventsourcery/eventstore/jpa/schema-" + platform + ".sql"));
    }

    @Test
    void theChangelogRunsTheMigrationsOfEachDatabase() throws IOException {
        String changelog = resource("db/event-store/liquibase/changelog.xml");
        Matcher changeSets = Pattern.compile("<changeSet id=\"event-store-0\\.1-(\\w+)\" author=\"event-store\" "
                + "dbms=\"(\\w+)\">\\s*<sqlFile path=\"db/event-store/flyway/(\\w+)/V0_1__event_store_schema\\.sql\"")
                .matcher(changelog);
        List<List<String>> found = changeSets.results().map(m -> List.of(m.group(1), m.group(2), m.group(3))).toList();
        assertThat(found).containsExactlyElementsOf(PLATFORMS.stream().map(p -> List.of(p, p, p)).toList());
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = MigrationScriptsTest.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
