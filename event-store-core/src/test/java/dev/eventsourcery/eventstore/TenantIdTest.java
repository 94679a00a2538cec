package dev.eventsourcery.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TenantIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "acme", "Acme-EU_1.prod", "0123456789012345678901234567890123456789012345678901234567890123"})
    void validIdsAreAccepted(String value) {
        assertThat(TenantId.of(value).value()).isEqualTo(value);
        assertThat(TenantId.of(value)).isEqualTo(TenantId.of(value)).isNotEqualTo(TenantId.DEFAULT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a b", "../x", "a/b", "tenant\u0000", "żółw", "'; drop table es_event; --",
            "01234567890123456789012345678901234567890123456789012345678901234"})
    void invalidIdsAreRefusedNamingTheValue(String value) {
        assertThatThrownBy(() -> TenantId.of(value))
                .isInstanceOf(IllegalTenantIdException.class)
                .isInstanceOf(EventStoreException.class)
                .hasMessageContaining("'" + value + "'");
    }

    @Test
    void nullIsRefused() {
        assertThatThrownBy(() -> TenantId.of(null)).isInstanceOf(IllegalTenantIdException.class);
    }

    @Test
    void defaultTenantCannotBeReachedThroughOf() {
        assertThat(TenantId.DEFAULT.isDefault()).isTrue();
        assertThatThrownBy(() -> TenantId.of(TenantId.DEFAULT.value())).isInstanceOf(IllegalTenantIdException.class);
        assertThat(TenantId.of("default").isDefault()).isFalse();
    }
}
