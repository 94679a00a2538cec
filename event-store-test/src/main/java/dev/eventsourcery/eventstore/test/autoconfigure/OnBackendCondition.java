package dev.eventsourcery.eventstore.test.autoconfigure;

import java.util.Map;
import java.util.Objects;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

import dev.eventsourcery.eventstore.test.autoconfigure.EventStoreTest.Backend;

/** The condition of {@link ConditionalOnBackend}: the property, bound as Spring Boot binds enums (relaxed). */
class OnBackendCondition extends SpringBootCondition {

    static final String PROPERTY = "event-store.test.backend";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, Object> attributes = Objects.requireNonNull(
                metadata.getAnnotationAttributes(ConditionalOnBackend.class.getName()));
        Backend wanted = (Backend) attributes.get("value");
        Backend chosen = Binder.get(context.getEnvironment()).bind(PROPERTY, Backend.class).orElse(Backend.IN_MEMORY);
        String message = PROPERTY + " is " + chosen;
        return chosen == wanted ? ConditionOutcome.match(message) : ConditionOutcome.noMatch(message);
    }
}
