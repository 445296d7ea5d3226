package io.runledger.api;

import java.util.List;

/** Scope and service registration. */
public interface Admin {

    /** Creates the scope if it does not exist; returns true if it was created. */
    boolean scopePut(String scope);

    boolean scopeExists(String scope);

    ServiceInfo servicePut(String scope, String service, ServiceSpec spec);

    ServiceInfo serviceGet(String scope, String service);

    List<ServiceInfo> servicesList(String scope);
}
