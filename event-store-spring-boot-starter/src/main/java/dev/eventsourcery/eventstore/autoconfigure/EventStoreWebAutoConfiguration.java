package dev.eventsourcery.eventstore.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * With Spring MVC, answers the event store's exceptions with RFC 9457 problem details
 * ({@link EventStoreExceptionHandler}); {@code event-store.web.problem-details.enabled=false} switches it off.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
@ConditionalOnBooleanProperty(name = "event-store.web.problem-details.enabled", matchIfMissing = true)
public final class EventStoreWebAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    EventStoreExceptionHandler eventStoreExceptionHandler() {
        return new EventStoreExceptionHandler();
    }
}
