package dev.eventsourcery.eventstore.amqp.testapp;

/** An event of the test application, stored under its simple name. */
public record AccountOpened(String owner) {
}
