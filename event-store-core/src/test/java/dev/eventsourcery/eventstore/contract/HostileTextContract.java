package dev.eventsourcery.eventstore.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.eventsourcery.eventstore.Context;
import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.contract.ContractEvents.TextNoted;
import dev.eventsourcery.eventstore.contract.ContractEvents.Total;

/**
 * Text full of SQL and JSON metacharacters, quotes, escapes, control and non-BMP characters is data like
 * any other: as a stream name, a category, a context attribute name and value, and a payload string, it
 * is stored and loaded back verbatim, and names exactly one stream.
 */
public interface HostileTextContract extends ContractFixture {

    /** Text that breaks naive SQL, JSON or string handling; all of it valid. */
    List<String> HOSTILE = List.of(
            "'; drop table es_event; --",
            "\" OR \"1\"=\"1",
            "' OR '1'='1' /*",
            "Robert'); DELETE FROM es_stream WHERE ('1'='1",
            "\\'\\\"\\\\",
            "\\u0000 is text here, not NUL",
            "{\"json\": [1, 2, {\"nested\": null}]}",
            "}]}\"]",
            "%_%[^a]$1?:name@var#",
            "${jndi:ldap://x}",
            "line\nbreak\r\ttab\u000b\u000cform\u0007bell\u001bescape",
            "🦄𝄞😀 non-BMP ⟨mixed⟩ Ünïcødé ż",
            "\u202Eright-to-left\u202C \u2028line separator\u2029 \uFEFFbom",
            "e\u0301 vs é",
            "  leading and trailing  ",
            "\uD83D\uDE00".repeat(127));

    @TestFactory
    default Stream<DynamicTest> hostileTextIsStoredAndLoadedBackVerbatim() {
        return HOSTILE.stream().map(text -> DynamicTest.dynamicTest(text, () -> {
            EventStore tenant = store().scopedForTenant("tenant-1");
            StreamId stream = StreamId.named(text).withCategory(text);
            Context context = Context.empty()
                    .with(text, text)
                    .with("list", List.of(text, text))
                    .with("map", Map.of(text, text));
            WrappedEvent<TextNoted> event = WrappedEvent.wrap(new TextNoted(text), null, context);
            WrappedEvent<Total> snapshot = WrappedEvent.wrap(new Total(1, 1), 1L, context);

            tenant.append(stream, 0, event);

            assertThat(tenant.loadStream(stream)).containsExactly(event.withVersion(1L));
            assertThat(((TextNoted) tenant.loadStream(stream).get(0).event()).text()).isEqualTo(text);
            assertThat(tenant.loadStream(StreamId.of(stream.uuid()).withCategory(text))).as("the same stream by uuid")
                    .containsExactly(event.withVersion(1L));
            assertThat(tenant.loadStream(StreamId.named(text).withCategory(text + " "))).as("another category").isEmpty();
            assertThat(tenant.loadStream(StreamId.named(text + " ").withCategory(text))).as("another name").isEmpty();
            assertThat(store().loadStream(stream)).as("another tenant").isEmpty();

            tenant.saveSnapshot(stream, snapshot);

            assertThat(tenant.loadStream(stream)).containsExactly(snapshot);
        }));
    }
}
