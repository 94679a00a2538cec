package dev.eventsourcery.eventstore.autoconfigure.testapp;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A Boot application using the starter the way users do. */
@SpringBootApplication
public class TestApplication {
}
