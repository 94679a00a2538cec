package dev.eventsourcery.sample.bank;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;

/** The bank on embedded H2, as {@code mvn spring-boot:run} starts it. */
@SpringBootTest(properties = "bank.snapshot-every=3")
@AutoConfigureMockMvc
class BankOnH2Test extends BankBehaviour {
}
