package dev.eventsourcery.eventstore.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.Context;
import dev.eventsourcery.eventstore.EventSerializationException;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.storage.StorageEventStore;
import dev.eventsourcery.eventstore.storage.memory.InMemoryEventStorage;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

class JacksonEventSerializerTest {

    record Measured(BigDecimal amount, BigDecimal precise, double ratio, long big, BigInteger huge, String text) {
    }

    private static final Measured MEASURED = new Measured(new BigDecimal("100.00"),
            new BigDecimal("12345678901234567890.123456789000"), 0.1, Long.MAX_VALUE,
            new BigInteger("123456789012345678901234567890"), "x");

    @Test
    void aTreeReadForUpcastersBindsToTheSameValuesAsTheJsonItself() {
        JacksonEventSerializer serializer = new JacksonEventSerializer();
        String json = serializer.serialize(MEASURED);

        Measured viaTree = serializer.deserialize(serializer.readTree(json), Measured.class);

        assertThat(viaTree).isEqualTo(MEASURED).isEqualTo(serializer.deserialize(json, Measured.class));
        assertThat(viaTree.amount().scale()).isEqualTo(2);
    }

    @Test
    void aSerializerOfAnotherKindReadsTreesExactlyToo() {
        // a serializer of its own that leaves trees to the interface's defaults
        EventSerializer other = new OnlyText();

        assertThat(other.deserialize(other.readTree(other.serialize(MEASURED)), Measured.class)).isEqualTo(MEASURED);
    }

    record AccountOpened(String ownerName, long initialBalance) {
    }

    @Test
    void applicationMapperIsUsedForPayloads() {
        JsonMapper snakeCase = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
        JacksonEventSerializer serializer = new JacksonEventSerializer(snakeCase);

        String json = serializer.serialize(new AccountOpened("Ada", 10));

        assertThat(json).contains("\"owner_name\":\"Ada\"").contains("\"initial_balance\":10");
        assertThat(serializer.deserialize(json, AccountOpened.class)).isEqualTo(new AccountOpened("Ada", 10));
    }

    @Test
    void contextFormatDoesNotDependOnTheApplicationMapper() {
        JsonMapper snakeCase = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
        Context context = Context.empty().withCorrelationId(UUID.randomUUID()).with("k", List.of(1, "two"));

        String json = new JacksonEventSerializer(snakeCase).serializeContext(context);

        assertThat(json).contains("\"correlationId\"");
        assertThat(new JacksonEventSerializer().deserializeContext(json)).isEqualTo(context);
    }

    @Test
    void payloadThatDoesNotFitItsClassIsReportedWithStreamVersionAndType() {
        // a custom serializer that writes what its reader cannot read back
        EventSerializer broken = new OnlyText() {
            @Override
            public String serialize(Object event) {
                return "{\"ownerName\": [1, 2]}";
            }
        };
        StorageEventStore store = StorageEventStore.builder(new InMemoryEventStorage()).serializer(broken).build();
        StreamId stream = StreamId.named("account-1");
        store.append(stream, WrappedEvent.wrap(new AccountOpened("Ada", 1)));

        assertThatThrownBy(() -> store.loadStream(stream))
                .isInstanceOf(EventSerializationException.class)
                .hasMessageContaining("AccountOpened")
                .hasMessageContaining("account-1")
                .hasMessageContaining("version 1");
    }

    @Test
    void theEmptyContextIsRecognisedInEveryFormADatabaseGivesItBackIn() {
        JacksonEventSerializer serializer = new JacksonEventSerializer();
        String written = serializer.serializeContext(Context.empty());

        assertThat(written).isEqualTo("{\"correlationId\":null,\"causationId\":null,\"attributes\":{}}");
        for (String stored : List.of(written, "{\"attributes\": {}, \"causationId\": null, \"correlationId\": null}",
                " { \"correlationId\" : null , \"causationId\" : null , \"attributes\" : { } } ")) {
            assertThat(serializer.deserializeContext(stored)).as(stored).isSameAs(Context.empty());
        }
        Context withAttribute = Context.empty().with("a", 1L);
        assertThat(serializer.deserializeContext(serializer.serializeContext(withAttribute))).isEqualTo(withAttribute);
        assertThat(serializer.deserializeContext("{\"attributes\": {}, \"causationId\": null, \"correlationId\": "
                + "\"6f0d9a52-6d57-4a5b-9f53-0a3f4c7e2b11\"}").correlationId()).isNotNull();
    }

    /** A serializer that reads and writes JSON text only, through Jackson. */
    private static class OnlyText implements EventSerializer {

        private final JacksonEventSerializer delegate = new JacksonEventSerializer();

        @Override
        public String serialize(Object event) {
            return delegate.serialize(event);
        }

        @Override
        public <E> E deserialize(String json, Class<E> type) {
            return delegate.deserialize(json, type);
        }

        @Override
        public String serializeContext(Context context) {
            return delegate.serializeContext(context);
        }

        @Override
        public Context deserializeContext(String json) {
            return delegate.deserializeContext(json);
        }
    }
}
