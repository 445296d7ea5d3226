package io.runledger.server.wire;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The field may be JSON {@code null}: in an answer it is written as null (an unset timestamp,
 * no error yet); in a request null means the same as leaving the field out. Fields without it
 * are never null in an answer.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD})
public @interface Nullable {
}
