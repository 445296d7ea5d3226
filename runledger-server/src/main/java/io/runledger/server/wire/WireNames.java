package io.runledger.server.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.runledger.api.Timestamps;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * How values of the API's own types are spelled on the wire: an enum by its {@code wireName()}
 * (every enum of the API has one: {@code RunStatus.TIMED_OUT} is {@code "timed_out"}), an
 * {@link Instant} as {@link Timestamps#format} writes it. The serializer ({@link #module()}) and
 * the OpenAPI schemas use these same functions.
 */
public final class WireNames {
    private static final ClassValue<Method> WIRE_NAME = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            try {
                Method m = type.getMethod("wireName");
                return m.getReturnType() == String.class ? m : null;
            } catch (NoSuchMethodException e) {
                return null;
            }
        }
    };

    private WireNames() {
    }

    /** Whether the enum has a wire name of its own (else Jackson's default, its constant name). */
    public static boolean hasWireName(Class<?> type) {
        return type.isEnum() && WIRE_NAME.get(type) != null;
    }

    public static String of(Enum<?> value) {
        Method m = WIRE_NAME.get(value.getDeclaringClass());
        if (m == null) {
            return value.name();
        }
        try {
            return (String) m.invoke(value);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read the wire name of " + value, e);
        }
    }

    /** Every wire name of an enum, in declaration order. */
    public static List<String> all(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(e -> of((Enum<?>) e)).toList();
    }

    /** The Jackson module that writes enums and instants as the API spells them. */
    public static SimpleModule module() {
        SimpleModule module = new SimpleModule("runledger-wire");
        module.addSerializer(Instant.class, new StdSerializer<>(Instant.class) {
            @Override
            public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(Timestamps.format(value));
            }
        });
        module.setSerializerModifier(new BeanSerializerModifier() {
            @Override
            public JsonSerializer<?> modifyEnumSerializer(SerializationConfig config, JavaType valueType,
                                                          BeanDescription beanDesc, JsonSerializer<?> serializer) {
                if (!hasWireName(valueType.getRawClass())) {
                    return serializer;
                }
                return new WireNameSerializer(valueType);
            }
        });
        return module;
    }

    private static final class WireNameSerializer extends StdSerializer<Enum<?>> {
        WireNameSerializer(JavaType type) {
            super(type);
        }

        @Override
        public void serialize(Enum<?> value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(of(value));
        }
    }
}
