package dev.eventsourcery.eventstore.autoconfigure.storedjson;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/** The application's Jackson module for {@link Money}: one string instead of an object. */
public class MoneyModule extends SimpleModule {

    public MoneyModule() {
        super("money");
        addSerializer(Money.class, new StdSerializer<>(Money.class) {
            @Override
            public void serialize(Money value, JsonGenerator generator, SerializationContext context) {
                generator.writeString(value.toString());
            }
        });
        addDeserializer(Money.class, new StdDeserializer<>(Money.class) {
            @Override
            public Money deserialize(JsonParser parser, DeserializationContext context) {
                return Money.parse(parser.getString());
            }
        });
    }
}
