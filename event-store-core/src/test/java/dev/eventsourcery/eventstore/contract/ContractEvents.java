package dev.eventsourcery.eventstore.contract;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.eventsourcery.eventstore.EventType;

/** The events the contract suite appends. */
public final class ContractEvents {

    private ContractEvents() {
    }

    /** A plain event stored under its simple name. */
    public record NumberAdded(int value) {
    }

    /** An event stored under an explicit type name. */
    @EventType("contract.TextNoted")
    public record TextNoted(String text) {
    }

    /** A class that reads {@link TextNoted}'s type name, changed so that its JSON no longer binds to it. */
    @EventType("contract.TextNoted")
    public record TextNotedAsNumber(int text) {
    }

    /** A snapshot of a stream of {@link NumberAdded} events. */
    public record Total(long sum, int count) {
    }

    /** The state of a tally aggregate that adds up {@link NumberAdded} events; also its snapshot. */
    public record Tally(long sum, int count) {
    }

    /** An enum inside an event. */
    public enum Colour { RED, GREEN, BLUE }

    /** A record inside an event. */
    public record Line(String sku, int quantity, BigDecimal price) {
    }

    /** Every type that must round-trip exactly through every backend. */
    public record EverythingChanged(
            String text,
            int number,
            long big,
            double ratio,
            boolean flag,
            Colour colour,
            UUID id,
            Instant at,
            LocalDate day,
            OffsetDateTime when,
            BigDecimal amount,
            List<String> tags,
            Map<String, Integer> counts,
            Line line,
            List<Line> lines,
            Map<String, Line> linesBySku) {
    }

    /** An event whose serialization fails: reading its only property throws. */
    public record Unserializable(String value) {
        @Override
        public String value() {
            throw new IllegalStateException("this payload cannot be read");
        }
    }
}
