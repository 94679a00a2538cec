package dev.eventsourcery.eventstore.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.eventsourcery.eventstore.ConcurrentStreamWriteException;
import dev.eventsourcery.eventstore.Context;
import dev.eventsourcery.eventstore.DuplicateEventException;
import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.contract.ContractEvents.TextNoted;
import dev.eventsourcery.eventstore.contract.ContractEvents.Total;
import dev.eventsourcery.eventstore.storage.StorageEventStore;

/**
 * Every value reaches the database as a bind parameter: across every kind of call — appends of each
 * versioning, conflicts, retries, duplicates, loads, snapshots, deletes — no SQL text the JDBC driver
 * receives contains a tenant id, stream name, category, id or event content, nor any quoted literal.
 */
class BindParametersTest {

    private static final String TENANT = "tenant-marker.7Q";
    private static final String NAME = "name-marker-'; drop table es_event; --";
    private static final String CATEGORY = "category-marker-%_'";
    private static final String PAYLOAD = "payload-marker-' or '1'='1";
    private static final String CONTEXT = "context-marker";

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void tenantIdsNamesAndEventsNeverReachTheSqlText(TestDatabase database) {
        database.assumeReachable();
        JpaTestContext context = JpaTestContext.of(database);
        context.clear();
        EventStore store = StorageEventStore.builder(context.storage()).build().scopedForTenant(TENANT);
        StreamId stream = StreamId.named(NAME).withCategory(CATEGORY);
        StreamId versionless = StreamId.named(NAME + "-versionless").withCategory(CATEGORY);
        WrappedEvent<TextNoted> first = WrappedEvent.wrap(new TextNoted(PAYLOAD), null, Context.empty().with(CONTEXT, CONTEXT));
        WrappedEvent<TextNoted> second = WrappedEvent.wrap(new TextNoted(PAYLOAD));

        context.statements.start();
        List<StatementLog.Execution> executions;
        try {
            store.append(stream, 0, first);
            store.append(stream, 0, first);                                  // a retry, recognised
            store.append(stream, Versioning.ANY, second);
            assertThatThrownBy(() -> store.append(stream, 1, WrappedEvent.wrap(new TextNoted(PAYLOAD))))
                    .isInstanceOf(ConcurrentStreamWriteException.class);
            assertThatThrownBy(() -> store.append(stream, 2, first)).isInstanceOf(DuplicateEventException.class);
            store.append(versionless, Versioning.NO_VERSIONING, WrappedEvent.wrap(new TextNoted(PAYLOAD)));
            store.saveSnapshot(stream, WrappedEvent.wrap(new Total(2, 2), 2L));
            store.saveSnapshot(stream, WrappedEvent.wrap(new Total(2, 2), 2L));
            assertThat(store.loadStream(stream)).hasSize(1);
            assertThat(store.loadStream(stream, 1L, 2L)).containsExactly(first.withVersion(1L));
            assertThat(store.loadStream(versionless)).hasSize(1);
            assertThat(store.position()).isPresent();
            store.deleteStream(stream);
            store.deleteStream(versionless);
        } finally {
            executions = context.statements.stop();
        }

        List<String> forbidden = new ArrayList<>(List.of(TENANT, "name-marker", "category-marker", "payload-marker",
                CONTEXT, stream.uuid().toString(), first.uuid().toString(), second.uuid().toString()));
        assertThat(executions).hasSizeGreaterThan(20);
        assertThat(executions).allSatisfy(execution -> {
            for (String value : forbidden) {
                assertThat(execution.sql()).doesNotContainIgnoringCase(value);
            }
            // no statement quotes any text: every value is a parameter
            assertThat(execution.sql()).doesNotContain("'");
        });
        assertThat(executions).anySatisfy(execution -> assertThat(execution.sql()).contains("?"));
        System.out.printf("%s: %d statements checked, every value bound as a parameter%n", database, executions.size());
    }
}
