package dev.eventsourcery.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class ContextTest {

    @Test
    void numbersAreNormalizedSoThatJsonRoundTripsCompareEqual() {
        Context context = Context.empty().with("int", 1).with("short", (short) 2).with("float", 0.5f)
                .with("decimal", new BigDecimal("2.25"));

        assertThat(context.attributes()).containsEntry("int", 1L).containsEntry("short", 2L)
                .containsEntry("float", 0.5d).containsEntry("decimal", 2.25d);
        assertThat(context).isEqualTo(Context.empty().with("int", 1L).with("short", 2L).with("float", 0.5d)
                .with("decimal", 2.25d));
    }

    @Test
    void nestedListsAndMapsAreCopiedAndUnmodifiable() {
        List<Object> roles = new ArrayList<>(List.of("a"));
        Context context = Context.empty().with("roles", roles).with("origin", Map.of("n", 1));
        roles.add("b");

        assertThat(context.attributes().get("roles")).isEqualTo(List.of("a"));
        assertThat(context.attributes().get("origin")).isEqualTo(Map.of("n", 1L));
        assertThatThrownBy(() -> context.attributes().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nonJsonValuesAreRefusedNamingTheAttribute() {
        assertThatThrownBy(() -> Context.empty().with("when", new Object()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("when");
        assertThatThrownBy(() -> Context.empty().with("list", List.of(UUID.randomUUID())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("list[0]");
        assertThatThrownBy(() -> Context.empty().with("ratio", Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ratio");
        assertThatThrownBy(() -> Context.empty().with("none", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("none");
    }

    @Test
    void idsAreSetIndependently() {
        UUID correlation = UUID.randomUUID();
        UUID causation = UUID.randomUUID();
        Context context = Context.empty().withCorrelationId(correlation).withCausationId(causation).with("k", "v");

        assertThat(context.correlationId()).isEqualTo(correlation);
        assertThat(context.causationId()).isEqualTo(causation);
        assertThat(context.attributes()).containsExactly(Map.entry("k", "v"));
        assertThat(Context.empty().correlationId()).isNull();
    }
}
