package io.runledger.core.internal.notify;

/**
 * Told by the {@link PgListener} when another instance (or this one) changed a service
 * definition, so caches of services drop what they hold. Like every notification it is a
 * hint: after a lost connection everything is dropped, since changes may have been missed.
 */
public interface ServiceChanges {
    ServiceChanges NONE = new ServiceChanges() {
        @Override
        public void serviceChanged(String scope, String service) {
        }

        @Override
        public void allMayHaveChanged() {
        }
    };

    void serviceChanged(String scope, String service);

    void allMayHaveChanged();
}
