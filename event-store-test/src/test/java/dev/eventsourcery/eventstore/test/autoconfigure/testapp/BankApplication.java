package dev.eventsourcery.eventstore.test.autoconfigure.testapp;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A small bank whose services the slice's tests run. */
@SpringBootApplication
public class BankApplication {
}
