package io.cxpulse.platform.registry;

/** Confluent Schema Registry error codes and the HTTP status each is sent with. */
enum RegistryError {
    UNAUTHORIZED(401, 401),
    NOT_FOUND(404, 404),
    SUBJECT_NOT_FOUND(404, 40401),
    VERSION_NOT_FOUND(404, 40402),
    SCHEMA_NOT_FOUND(404, 40403),
    SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED(404, 40408),
    METHOD_NOT_ALLOWED(405, 405),
    INCOMPATIBLE_SCHEMA(409, 409),
    UNPROCESSABLE(422, 422),
    INVALID_SCHEMA(422, 42201),
    INVALID_VERSION(422, 42202),
    INVALID_COMPATIBILITY_LEVEL(422, 42203),
    BAD_REQUEST(400, 400),
    BACKEND_STORE(500, 50001);

    private final int status;
    private final int code;

    RegistryError(int status, int code) {
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    int code() {
        return code;
    }
}
