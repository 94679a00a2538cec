package dev.eventsourcery.eventstore.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.eventsourcery.eventstore.Context;
import dev.eventsourcery.eventstore.DuplicateEventTypeException;
import dev.eventsourcery.eventstore.EventSerializationException;
import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.EventType;
import dev.eventsourcery.eventstore.IllegalTenantIdException;
import dev.eventsourcery.eventstore.InvalidSnapshotException;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.contract.ContractEvents.NumberAdded;
import dev.eventsourcery.eventstore.contract.ContractEvents.TextNoted;
import dev.eventsourcery.eventstore.contract.ContractEvents.Total;
import dev.eventsourcery.eventstore.contract.ContractEvents.Unserializable;

/**
 * The catalogue of bad input: every entry is refused with the documented exception, a message that names
 * the bad value, and nothing written — the store holds no event before or after the catalogue, and the
 * stream the entry aimed at loads empty in every tenant.
 */
public interface BadInputContract extends ContractFixture {

    /** One bad input: what it is, the call, the exception expected and the text its message must contain. */
    record BadInput(String name, Consumer<EventStore> call, Class<? extends Throwable> refusedWith, String named) {
    }

    /** The stream every entry aims at (when it gets that far). */
    StreamId TARGET = StreamId.named("bad-input-target");

    /** A UUID no backend can store everywhere (MariaDB refuses version 8+ with clock sequence byte 0x01..0x80). */
    UUID UNPORTABLE_UUID = UUID.fromString("00000000-0000-8000-0100-000000000000");

    /** An event type whose name is longer than a type name may be. */
    @EventType("type-name-that-is-far-too-long-" + "0123456789012345678901234567890123456789012345678901234567890123456789"
            + "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
            + "0123456789012345678901234567890123456789012345678901234567890123456789")
    record OverlongTypeName(int value) {
    }

    /** An event type with a blank name. */
    @EventType(" ")
    record BlankTypeName(int value) {
    }

    /** Claims the type name of {@link NumberAdded}. */
    @EventType("NumberAdded")
    record ImpostorNumberAdded(int value) {
    }

    /** All entries; the count is reported as "bad inputs tried". */
    static List<BadInput> catalogue() {
        List<BadInput> inputs = new ArrayList<>();
        String tooLong = "n".repeat(256);
        WrappedEvent<?> event = WrappedEvent.wrap(new NumberAdded(1));
        List<WrappedEvent<?>> withNull = Arrays.asList(event, null);

        // null arguments
        inputs.add(new BadInput("null stream id", store -> store.append(null, 0, List.of(event)), NullPointerException.class, "streamId"));
        inputs.add(new BadInput("null versioning", store -> store.append(TARGET, (Versioning) null, List.of(event)), NullPointerException.class, "versioning"));
        inputs.add(new BadInput("null event list", store -> store.append(TARGET, 0, (List<WrappedEvent<?>>) null), NullPointerException.class, "events"));
        inputs.add(new BadInput("null in the event list", store -> store.append(TARGET, 0, withNull), NullPointerException.class, "event"));
        inputs.add(new BadInput("null bare event", store -> store.appendEvents(TARGET, 0, null), NullPointerException.class, "event"));
        inputs.add(new BadInput("null second bare event", store -> store.appendEvents(TARGET, 0, new NumberAdded(1), (Object) null), NullPointerException.class, "event"));
        inputs.add(new BadInput("null stream id to load", store -> store.loadStream(null), NullPointerException.class, "streamId"));
        inputs.add(new BadInput("null stream id to delete", store -> store.deleteStream(null), NullPointerException.class, "streamId"));
        inputs.add(new BadInput("null stream id to snapshot", store -> store.saveSnapshot(null, WrappedEvent.wrap(new Total(1, 1), 1L)), NullPointerException.class, "streamId"));
        inputs.add(new BadInput("null snapshot", store -> store.saveSnapshot(TARGET, null), NullPointerException.class, "snapshot"));
        inputs.add(new BadInput("null tenant", store -> store.scopedForTenant((TenantId) null), NullPointerException.class, "tenantId"));
        inputs.add(new BadInput("null tenant id text", store -> store.scopedForTenant((String) null), IllegalTenantIdException.class, "null"));
        inputs.add(new BadInput("null event payload", store -> WrappedEvent.wrap(null), NullPointerException.class, "event"));
        inputs.add(new BadInput("null context attribute", store -> Context.empty().with("attribute-k", null), IllegalArgumentException.class, "attribute-k"));
        inputs.add(new BadInput("null stream name", store -> StreamId.named(null), NullPointerException.class, "name"));

        // blank and over-long names and categories
        inputs.add(new BadInput("empty stream name", store -> StreamId.named(""), IllegalArgumentException.class, "''"));
        inputs.add(new BadInput("blank stream name", store -> StreamId.named(" \t "), IllegalArgumentException.class, "' \t '"));
        inputs.add(new BadInput("256-character stream name", store -> StreamId.named(tooLong), IllegalArgumentException.class, "256"));
        inputs.add(new BadInput("blank category", store -> TARGET.withCategory("  "), IllegalArgumentException.class, "'  '"));
        inputs.add(new BadInput("256-character category", store -> TARGET.withCategory(tooLong), IllegalArgumentException.class, "256"));

        // invalid tenant ids
        for (String tenant : List.of("", "t".repeat(65), "a b", "../x", "'; drop table es_event; --", "ünïcode", "tab\t",
                "nul\u0000", "a/b", "%")) {
            inputs.add(new BadInput("tenant id '" + tenant.replace("\u0000", "\\u0000") + "'",
                    store -> store.scopedForTenant(tenant), IllegalTenantIdException.class, "'" + tenant + "'"));
        }

        // text no backend stores verbatim
        inputs.add(new BadInput("NUL in a stream name", store -> store.append(StreamId.named("a\u0000b"), 0, List.of(event)),
                IllegalArgumentException.class, "a\\u0000b"));
        inputs.add(new BadInput("NUL in a category", store -> store.append(TARGET.withCategory("c\u0000"), 0, List.of(event)),
                IllegalArgumentException.class, "c\\u0000"));
        inputs.add(new BadInput("unpaired surrogate in a stream name", store -> store.loadStream(StreamId.named("x\uD800y")),
                IllegalArgumentException.class, "x\\uD800y"));
        inputs.add(new BadInput("NUL in a payload string", store -> store.appendEvents(TARGET, 0, new TextNoted("x\u0000y")),
                IllegalArgumentException.class, "in its JSON payload, a NUL character (\\u0000) at index"));
        inputs.add(new BadInput("unpaired surrogate in a payload string", store -> store.appendEvents(TARGET, 0, new TextNoted("\uDC00!")),
                IllegalArgumentException.class, "in its JSON payload, an unpaired surrogate"));
        inputs.add(new BadInput("NUL in a context attribute value", store -> store.append(TARGET, 0,
                WrappedEvent.wrap(new NumberAdded(1), null, Context.empty().with("k", "v\u0000"))), IllegalArgumentException.class,
                "in its JSON context, a NUL character (\\u0000) at index"));
        inputs.add(new BadInput("NUL in a context attribute name", store -> store.append(TARGET, 0,
                WrappedEvent.wrap(new NumberAdded(1), null, Context.empty().with("k\u0000", "v"))), IllegalArgumentException.class,
                "in its JSON context, a NUL character (\\u0000) at index"));
        inputs.add(new BadInput("NUL in a snapshot", store -> store.saveSnapshot(TARGET, WrappedEvent.wrap(new TextNoted("\u0000"), 1L)),
                IllegalArgumentException.class, "in its JSON payload, a NUL character (\\u0000) at index"));

        // context values that are not JSON
        inputs.add(new BadInput("non-JSON context value", store -> Context.empty().with("thing", new Object()), IllegalArgumentException.class, "thing"));
        inputs.add(new BadInput("NaN context value", store -> Context.empty().with("ratio", Double.NaN), IllegalArgumentException.class, "NaN"));

        // empty appends, versions and ranges
        inputs.add(new BadInput("empty append", store -> store.append(TARGET, 0, List.of()), IllegalArgumentException.class, "empty"));
        inputs.add(new BadInput("negative expected version", store -> store.append(TARGET, -5, List.of(event)), IllegalArgumentException.class, "-5"));
        inputs.add(new BadInput("Long.MIN_VALUE expected version", store -> Versioning.expect(Long.MIN_VALUE), IllegalArgumentException.class, String.valueOf(Long.MIN_VALUE)));
        inputs.add(new BadInput("Long.MAX_VALUE expected version", store -> store.append(TARGET, Long.MAX_VALUE, List.of(event)),
                IllegalArgumentException.class, String.valueOf(Long.MAX_VALUE)));
        inputs.add(new BadInput("event carrying Long.MAX_VALUE", store -> store.append(TARGET, 0, WrappedEvent.wrap(new NumberAdded(1), Long.MAX_VALUE)),
                IllegalArgumentException.class, String.valueOf(Long.MAX_VALUE)));
        inputs.add(new BadInput("event carrying a negative version", store -> store.append(TARGET, Versioning.ANY, WrappedEvent.wrap(new NumberAdded(1), -3L)),
                IllegalArgumentException.class, "-3"));
        inputs.add(new BadInput("versionless event carrying a version", store -> store.append(TARGET, Versioning.NO_VERSIONING, WrappedEvent.wrap(new NumberAdded(1), 1L)),
                IllegalArgumentException.class, "version 1"));
        inputs.add(new BadInput("negative start", store -> store.loadStream(TARGET, -1L, null), IllegalArgumentException.class, "-1"));
        inputs.add(new BadInput("negative stop", store -> store.loadStream(TARGET, null, Long.MIN_VALUE), IllegalArgumentException.class, String.valueOf(Long.MIN_VALUE)));
        inputs.add(new BadInput("start after stop", store -> store.loadStream(TARGET, 7L, 3L), IllegalArgumentException.class, "7"));
        inputs.add(new BadInput("snapshot without version", store -> store.saveSnapshot(TARGET, WrappedEvent.wrap(new Total(1, 1))), InvalidSnapshotException.class, "version"));
        inputs.add(new BadInput("snapshot at version 0", store -> store.saveSnapshot(TARGET, WrappedEvent.wrap(new Total(1, 1), 0L)), InvalidSnapshotException.class, "0"));
        inputs.add(new BadInput("snapshot at a negative version", store -> store.saveSnapshot(TARGET, WrappedEvent.wrap(new Total(1, 1), -3L)), InvalidSnapshotException.class, "-3"));
        inputs.add(new BadInput("snapshot at Long.MAX_VALUE of a missing stream", store -> store.saveSnapshot(TARGET, WrappedEvent.wrap(new Total(1, 1), Long.MAX_VALUE)),
                InvalidSnapshotException.class, String.valueOf(Long.MAX_VALUE)));

        // event classes and payloads
        inputs.add(new BadInput("anonymous event class", store -> store.appendEvents(TARGET, 0, new Object() { }), IllegalArgumentException.class, "no simple name"));
        inputs.add(new BadInput("blank @EventType", store -> store.appendEvents(TARGET, 0, new BlankTypeName(1)), IllegalArgumentException.class, "BlankTypeName"));
        inputs.add(new BadInput("type name over 255 characters", store -> store.appendEvents(TARGET, 0, new OverlongTypeName(1)), IllegalArgumentException.class, "type-name-that-is-far-too-long-"));
        inputs.add(new BadInput("second class for a type name", store -> store.appendEvents(TARGET, 0, new NumberAdded(1), new ImpostorNumberAdded(1)),
                DuplicateEventTypeException.class, "NumberAdded"));
        inputs.add(new BadInput("payload that fails to serialize", store -> store.appendEvents(TARGET, 0, new Unserializable("x")), EventSerializationException.class, "Unserializable"));
        inputs.add(new BadInput("payload over 1 MiB", store -> store.appendEvents(TARGET, 0, new TextNoted("x".repeat(1024 * 1024))),
                IllegalArgumentException.class, "1048576 bytes"));
        inputs.add(new BadInput("payload over 1 MiB in UTF-8, under it in characters", store -> store.appendEvents(TARGET, 0, new TextNoted("ż".repeat(600_000))),
                IllegalArgumentException.class, "1200"));
        inputs.add(new BadInput("created before the year 1000", store -> store.append(TARGET, 0, new WrappedEvent<>(new NumberAdded(1), null, UUID.randomUUID(),
                Instant.parse("0999-12-31T23:59:59Z"), Context.empty())), IllegalArgumentException.class, "0999-12-31T23:59:59Z"));
        inputs.add(new BadInput("created after the year 9999", store -> store.append(TARGET, 0, new WrappedEvent<>(new NumberAdded(1), null, UUID.randomUUID(),
                Instant.parse("+10000-01-01T00:00:00Z"), Context.empty())), IllegalArgumentException.class, "+10000-01-01T00:00:00Z"));
        inputs.add(new BadInput("event id no backend stores everywhere", store -> store.append(TARGET, 0, new WrappedEvent<>(new NumberAdded(1), null, UNPORTABLE_UUID,
                Instant.now(), Context.empty())), IllegalArgumentException.class, UNPORTABLE_UUID.toString()));
        inputs.add(new BadInput("stream uuid no backend stores everywhere", store -> store.append(StreamId.of(UNPORTABLE_UUID), 0, List.of(event)),
                IllegalArgumentException.class, UNPORTABLE_UUID.toString()));
        return inputs;
    }

    @TestFactory
    default Stream<DynamicTest> everyBadInputIsRefusedNamingTheValueAndWritesNothing() {
        assertThat(store().position()).as("the store holds nothing before the catalogue").isEmpty();
        return catalogue().stream().map(input -> DynamicTest.dynamicTest(input.name(), () -> {
            assertThatThrownBy(() -> input.call().accept(store()))
                    .isInstanceOf(input.refusedWith())
                    .hasMessageContaining(input.named());
            assertThat(store().position()).as("nothing written").isEmpty();
            assertThat(store().loadStream(TARGET)).isEmpty();
            assertThat(store().scopedForTenant("acme").loadStream(TARGET)).isEmpty();
        }));
    }
}
