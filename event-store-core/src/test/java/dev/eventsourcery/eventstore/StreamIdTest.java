package dev.eventsourcery.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import org.junit.jupiter.api.Test;

class StreamIdTest {

    @Test
    void namedStreamUuidMatchesPythonUuid5InTheSharedNamespace() {
        assertThat(StreamId.named("order-1").uuid()).isEqualTo(UUID.fromString("ead01a20-5101-50cc-b4c0-88cf5e71b39a"));
        assertThat(StreamId.named("Zażółć gęślą jaźń").uuid())
                .isEqualTo(UUID.fromString("5e904c57-4626-559a-b0b1-0ef31307b2e1"));
        assertThat(StreamId.of("order-1")).isEqualTo(StreamId.named("order-1"));
        assertThat(StreamId.named("order-1").uuid().version()).isEqualTo(5);
    }

    @Test
    void numericIdIsTheUuidOfThatInteger() {
        assertThat(StreamId.of(42L).uuid()).isEqualTo(UUID.fromString("00000000-0000-0000-0000-00000000002a"));
        assertThat(StreamId.of(42L).name()).isNull();
    }

    @Test
    void equalityIsUuidAndCategoryNotName() {
        StreamId named = StreamId.named("cart");
        StreamId byUuid = StreamId.of(named.uuid());

        assertThat(byUuid).isEqualTo(named).hasSameHashCodeAs(named);
        assertThat(named.withCategory("eu")).isNotEqualTo(named);
        assertThat(named.withCategory("eu")).isNotEqualTo(named.withCategory("us"));
        assertThat(named.withCategory("eu")).isEqualTo(byUuid.withCategory("eu"));
        assertThat(named.withCategory("eu").withCategory(null)).isEqualTo(named);
    }

    @Test
    void randomIdsDiffer() {
        assertThat(StreamId.random()).isNotEqualTo(StreamId.random());
    }

    @Test
    void blankOrOverLongNamesAndCategoriesAreRefused() {
        assertThatThrownBy(() -> StreamId.named(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> StreamId.named("x".repeat(256)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256");
        assertThatThrownBy(() -> StreamId.random().withCategory(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("category");
        assertThatThrownBy(() -> StreamId.random().withCategory("c".repeat(256)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("category");
        assertThat(StreamId.named("x".repeat(255)).withCategory("c".repeat(255)).name()).hasSize(255);
    }

    @Test
    void nameThatDoesNotDeriveTheUuidIsRefused() {
        assertThatThrownBy(() -> new StreamId(UUID.randomUUID(), "order-1", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("order-1");
    }
}
