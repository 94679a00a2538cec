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
 * scripts the starter runs: the script is the migrations, one after the other. Running them against real
 * databases is the starter's {@code SchemaManagementTest}.
 */
class MigrationScriptsTest {

    private static final List<String> PLATFORMS = List.of("postgresql", "mariadb", "h2");

    private static final List<String> MIGRATIONS = List.of("V0_1__event_store_schema", "V0_2__projections",
            "V0_3__event_schema_version", "V0_4__log_deletions");

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb", "h2"})
    void theMigrationsInOrderAreTheSchemaScript(String platform) throws IOException {
        StringBuilder migrations = new StringBuilder();
        for (String migration : MIGRATIONS) {
            migrations.append(migrations.isEmpty() ? "" : "\n")
                    .append(resource("db/event-store/flyway/" + platform + "/" + migration + ".sql"));
        }
        assertThat(migrations.toString())
                .isEqualTo(resource("dev/eventsourcery/eventstore/jpa/schema-" + platform + ".sql"));
    }

    @Test
    void theChangelogRunsTheMigrationsOfEachDatabaseInOrder() throws IOException {
        String changelog = resource("db/event-store/liquibase/changelog.xml");
        Matcher changeSets = Pattern.compile("<changeSet id=\"event-store-0\\.(\\d)-(\\w+)\" author=\"event-store\" "
                + "dbms=\"(\\w+)\">\\s*<sqlFile path=\"db/event-store/flyway/(\\w+)/(V0_\\d__\\w+)\\.sql\"")
                .matcher(changelog);
        List<List<String>> found = changeSets.results()
                .map(m -> List.of(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5))).toList();
        List<List<String>> expected = new java.util.ArrayList<>();
        for (String migration : MIGRATIONS) {
            String version = migration.substring(3, 4);
            PLATFORMS.forEach(p -> expected.add(List.of(version, p, p, p, migration)));
        }
        assertThat(found).containsExactlyElementsOf(expected);
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = MigrationScriptsTest.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
