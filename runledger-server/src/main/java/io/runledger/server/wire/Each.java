package io.runledger.server.wire;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A list of JSON values that the server binds one by one to this record (so that a refusal
 * can name the item, e.g. {@code items[3].input}); documented as a list of that record.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD})
public @interface Each {
    Class<? extends Record> value();
}
