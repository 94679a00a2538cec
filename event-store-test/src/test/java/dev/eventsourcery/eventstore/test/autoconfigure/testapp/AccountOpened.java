package dev.eventsourcery.eventstore.test.autoconfigure.testapp;

/** An account was opened for its owner. */
public record AccountOpened(String owner) {
}
