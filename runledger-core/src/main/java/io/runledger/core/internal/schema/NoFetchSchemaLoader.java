package io.runledger.core.internal.schema;

import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.InvalidSchemaException;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.ClasspathSchemaLoader;
import com.networknt.schema.resource.InputStreamSource;
import com.networknt.schema.resource.SchemaLoader;

/**
 * The only schema loader the validator gets: it serves the meta-schemas bundled in the
 * validator's jar (the library maps their {@code json-schema.org} addresses to
 * {@code classpath:draft...}) and refuses every other address, so no schema, stored or new,
 * can make the server open a URL or a file. It is first in the chain, so the library's own
 * URL loader is never reached.
 */
final class NoFetchSchemaLoader implements SchemaLoader {
    private final ClasspathSchemaLoader classpath = new ClasspathSchemaLoader(NoFetchSchemaLoader.class::getClassLoader);

    @Override
    public InputStreamSource getSchema(AbsoluteIri iri) {
        String address = iri.toString();
        if (address.startsWith("classpath:draft/") || address.startsWith("classpath:draft-0")) {
            InputStreamSource bundled = classpath.getSchema(iri);
            if (bundled != null) {
                return bundled;
            }
        }
        throw new InvalidSchemaException(ValidationMessage.builder()
                .message("references outside the schema are not loaded: {0}").arguments(address).build());
    }
}
