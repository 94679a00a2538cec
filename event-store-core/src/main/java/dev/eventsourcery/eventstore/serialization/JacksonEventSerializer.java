package dev.eventsourcery.eventstore.serialization;

import java.math.BigDecimal;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.eventsourcery.eventstore.Context;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.ser.std.StdSerializer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serializes events with a Jackson 3 {@link JsonMapper}, {@link #defaultMapper()} unless given another.
 *
 * <p>The JSON written here is the format of the event log, read back for as long as the events are kept,
 * so the mapper should change only when that format is meant to change. Build it from
 * {@code defaultMapper().rebuild()} and add what events need (modules for the application's value types)
 * rather than pass a mapper configured for something else, such as an HTTP API, whose naming or
 * inclusion settings would then decide how events are stored.
 *
 * <p>Contexts are always written with a private mapper of fixed configuration, so that the stored
 * context format does not change when the application reconfigures its mapper. Its floating-point
 * attributes are written in plain decimal notation with a fraction ({@code 10000000000.0}, not
 * {@code 1.0E10}): a database that normalizes JSON numbers (PostgreSQL's {@code jsonb} writes
 * {@code 1.0E10} back as {@code 10000000000}) would otherwise turn them into integers.
 */
public final class JacksonEventSerializer implements EventSerializer {

    private static final JsonMapper CONTEXT_MAPPER = defaultMapper().rebuild()
            .addModule(new SimpleModule("event-store-context").addSerializer(Double.class, new PlainDoubleSerializer()))
            .build();

    /** Reads JSON trees for serializers that do not read them themselves. */
    static final ObjectReader TREE_READER = exactTrees(defaultMapper());

    /** The empty context as {@link #serializeContext} writes it. */
    private static final String EMPTY_CONTEXT = CONTEXT_MAPPER.writeValueAsString(Context.empty());

    /** The empty context with its members in the order of PostgreSQL's {@code jsonb}: shorter names first. */
    private static final String EMPTY_CONTEXT_NORMALIZED = "{\"attributes\":{},\"causationId\":null,\"correlationId\":null}";

    private final JsonMapper mapper;

    /** Reads stored JSON into trees with every decimal exact, as it would be bound to the event's fields. */
    private final ObjectReader treeReader;

    /** A serializer on {@link #defaultMapper()}. */
    public JacksonEventSerializer() {
        this(defaultMapper());
    }

    /** A serializer on the given mapper, used as it is. */
    public JacksonEventSerializer(JsonMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.treeReader = exactTrees(mapper);
    }

    /**
     * A reader of trees that keeps decimals as written: a {@code BigDecimal} field of {@code 100.00} keeps its
     * scale and digits through an upcaster, where a tree of doubles would give {@code 100.0}.
     */
    static ObjectReader exactTrees(JsonMapper mapper) {
        return mapper.reader().with(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);
    }

    /**
     * Jackson's defaults (records, {@code java.time} as ISO-8601 text) with time zone adjustment off, so
     * that an {@code OffsetDateTime} keeps its offset and every supported type round-trips exactly.
     */
    public static JsonMapper defaultMapper() {
        return JsonMapper.builder()
                .disable(DateTimeFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .build();
    }

    @Override
    public String serialize(Object event) {
        return mapper.writeValueAsString(event);
    }

    @Override
    public <E> E deserialize(String json, Class<E> type) {
        return requireEvent(mapper.readValue(json, type));
    }

    @Override
    public ObjectNode readTree(String json) {
        return asObject(treeReader.readTree(json));
    }

    @Override
    public <E> E deserialize(ObjectNode json, Class<E> type) {
        return requireEvent(mapper.treeToValue(json, type));
    }

    /** The tree of stored event JSON, which upcasters change as an object. */
    static ObjectNode asObject(JsonNode tree) {
        if (!(tree instanceof ObjectNode object)) {
            throw new IllegalArgumentException("Stored event JSON is not an object, so it cannot be upcast");
        }
        return object;
    }

    private static <E> E requireEvent(@Nullable E event) {
        if (event == null) {
            throw new IllegalArgumentException("JSON null is not an event");
        }
        return event;
    }

    /** Most events carry the empty context: it is written and recognised without Jackson. */
    @Override
    public String serializeContext(Context context) {
        return context.equals(Context.empty()) ? EMPTY_CONTEXT : CONTEXT_MAPPER.writeValueAsString(context);
    }

    @Override
    public Context deserializeContext(String json) {
        return isEmptyContext(json) ? Context.empty() : CONTEXT_MAPPER.readValue(json, Context.class);
    }

    /**
     * Whether JSON text is the empty context as this serializer writes it, or as a database that normalizes
     * JSON (PostgreSQL's {@code jsonb}) gives it back: the same members in another order, spaced.
     */
    static boolean isEmptyContext(String json) {
        if (json.length() > 96) {
            return false;
        }
        StringBuilder compact = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (!Character.isWhitespace(c)) {
                compact.append(c);
            }
        }
        String text = compact.toString();
        return text.equals(EMPTY_CONTEXT) || text.equals(EMPTY_CONTEXT_NORMALIZED);
    }

    /** Writes a double in plain notation, always with a fraction, so that it reads back as a double from any JSON store. */
    private static final class PlainDoubleSerializer extends StdSerializer<Double> {

        PlainDoubleSerializer() {
            super(Double.class);
        }

        @Override
        public void serialize(Double value, JsonGenerator generator, SerializationContext context) {
            String plain = BigDecimal.valueOf(value).toPlainString();
            generator.writeNumber(plain.indexOf('.') < 0 ? plain + ".0" : plain);
        }
    }
}
