package io.cxpulse.platform.registry;

/** A request the registry refuses, answered as Confluent does: {@code {"error_code":…,"message":…}}. */
final class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final RegistryError error;

    RegistryException(RegistryError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    RegistryError error() {
        return error;
    }
}
