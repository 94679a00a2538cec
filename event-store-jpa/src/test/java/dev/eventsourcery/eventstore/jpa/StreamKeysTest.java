package dev.eventsourcery.eventstore.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;

class StreamKeysTest {

    @Test
    void rowIdIsTheNameBasedUuidOfTenantStreamAndCategory() {
        StreamId stream = StreamId.named("order-1").withCategory("orders");

        UUID expected = UUID.nameUUIDFromBytes(("acme\u0000" + stream.uuid() + "\u0000orders").getBytes(StandardCharsets.UTF_8));

        assertThat(StreamKeys.rowId(TenantId.of("acme"), stream)).isEqualTo(expected);
        assertThat(StreamKeys.rowId(TenantId.DEFAULT, stream.withCategory(null)))
                .isEqualTo(UUID.nameUUIDFromBytes(("\u0000" + stream.uuid() + "\u0000").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void rowIdsDifferPerTenantAndCategory() {
        StreamId stream = StreamId.random();

        assertThat(StreamKeys.rowId(TenantId.of("a"), stream)).isNotEqualTo(StreamKeys.rowId(TenantId.of("b"), stream))
                .isNotEqualTo(StreamKeys.rowId(TenantId.DEFAULT, stream))
                .isNotEqualTo(StreamKeys.rowId(TenantId.of("a"), stream.withCategory("c")));
    }
}
