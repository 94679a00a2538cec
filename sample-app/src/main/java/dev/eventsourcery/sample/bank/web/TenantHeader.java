package dev.eventsourcery.sample.bank.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.TenantResolver;

/**
 * Takes the tenant of every event store call from the {@code X-Tenant-Id} header of the current HTTP
 * request; without the header (or outside a request) the default tenant.
 */
@Configuration(proxyBeanMethods = false)
public class TenantHeader {

    /** The request header naming the tenant. */
    public static final String NAME = "X-Tenant-Id";

    @Bean
    TenantResolver tenantResolver() {
        return () -> {
            RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
            if (attributes instanceof ServletRequestAttributes request) {
                String tenant = request.getRequest().getHeader(NAME);
                if (tenant != null) {
                    return TenantId.of(tenant);
                }
            }
            return TenantId.DEFAULT;
        };
    }
}
