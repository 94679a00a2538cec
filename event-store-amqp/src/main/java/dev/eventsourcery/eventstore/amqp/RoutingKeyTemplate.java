package dev.eventsourcery.eventstore.amqp;

import org.springframework.expression.EvaluationContext;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.common.CompositeStringExpression;
import org.springframework.expression.common.TemplateParserContext;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.SimpleEvaluationContext;

import dev.eventsourcery.eventstore.spring.outbox.OutboxMessage;

/**
 * A routing key written as a template: literal text with SpEL expressions in {@code #{...}}, read-only on the
 * message's properties (and their methods), so that a configuration property cannot reach anything else.
 */
final class RoutingKeyTemplate implements OutboxRoutingKey {

    private static final EvaluationContext CONTEXT = SimpleEvaluationContext.forReadOnlyDataBinding()
            .withInstanceMethods().build();

    private final String template;
    private final Expression expression;

    private RoutingKeyTemplate(String template, Expression expression) {
        this.template = template;
        this.expression = expression;
    }

    static RoutingKeyTemplate parse(String template) {
        try {
            return new RoutingKeyTemplate(template,
                    new SpelExpressionParser().parseExpression(template, new TemplateParserContext()));
        } catch (ParseException e) {
            throw new IllegalArgumentException("The routing key template '" + template + "' is not valid: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String routingKey(OutboxMessage message) {
        if (!(expression instanceof CompositeStringExpression)) {
            String value = expression.getValue(CONTEXT, message, String.class);
            return value == null ? "" : value;
        }
        StringBuilder key = new StringBuilder();
        for (Expression part : ((CompositeStringExpression) expression).getExpressions()) {
            Object value = part.getValue(CONTEXT, message);
            if (value != null) {
                key.append(value);
            }
        }
        return key.toString();
    }

    @Override
    public String toString() {
        return "routing key '" + template + "'";
    }
}
