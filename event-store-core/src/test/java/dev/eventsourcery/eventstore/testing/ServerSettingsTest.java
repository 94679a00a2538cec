package dev.eventsourcery.eventstore.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class ServerSettingsTest {

    @Test
    void urlOfAnotherDatabaseKeepsServerAndParameters() {
        assertThat(settings("jdbc:postgresql://127.0.0.1:5432/test").urlOf("es_test_x"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/es_test_x");
        assertThat(settings("jdbc:postgresql://db.example:5432/test?sslmode=require&user=a/b").urlOf("es_test_x"))
                .isEqualTo("jdbc:postgresql://db.example:5432/es_test_x?sslmode=require&user=a/b");
        assertThat(settings("jdbc:mariadb://127.0.0.1:3306/test;useSsl=false").urlOf("es_test_x"))
                .isEqualTo("jdbc:mariadb://127.0.0.1:3306/es_test_x;useSsl=false");
    }

    @Test
    void urlOfAnotherDatabaseAddsThePathWhenTheUrlHasNone() {
        assertThat(settings("jdbc:mariadb://127.0.0.1:3306").urlOf("es_test_x"))
                .isEqualTo("jdbc:mariadb://127.0.0.1:3306/es_test_x");
        assertThat(settings("jdbc:postgresql://127.0.0.1/?ssl=false").urlOf("es_test_x"))
                .isEqualTo("jdbc:postgresql://127.0.0.1/es_test_x?ssl=false");
        assertThat(settings("jdbc:mariadb://127.0.0.1?connectTimeout=5").urlOf("es_test_x"))
                .isEqualTo("jdbc:mariadb://127.0.0.1/es_test_x?connectTimeout=5");
    }

    @Test
    void urlWithoutAServerIsRefused() {
        assertThatThrownBy(() -> settings("jdbc:postgresql:test").urlOf("es_test_x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void platformComesFromTheUrlsScheme() {
        assertThat(settings("jdbc:postgresql://h/test").platform()).isEqualTo(ServerPlatform.POSTGRESQL);
        assertThat(settings("jdbc:mariadb://h/test").platform()).isEqualTo(ServerPlatform.MARIADB);
        assertThatThrownBy(() -> settings("jdbc:h2:mem:x").platform()).isInstanceOf(IllegalArgumentException.class);
    }

    private static ServerSettings settings(String url) {
        return new ServerSettings(url, "user", "", List.of("URL", "USER", "PASSWORD"));
    }
}
