package io.cxpulse.schemas.registry;

/**
 * A call to the schema registry that failed: an error answer from the registry (with Confluent's error code),
 * or no answer at all after every retry.
 */
public class SchemaRegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Confluent error code: the subject does not exist. */
    public static final int SUBJECT_NOT_FOUND = 40401;
    /** Confluent error code: the subject has no such version. */
    public static final int VERSION_NOT_FOUND = 40402;
    /** Confluent error code: no such schema (by id, or under a subject). */
    public static final int SCHEMA_NOT_FOUND = 40403;
    /** Confluent error code: the subject has no subject-level compatibility configured. */
    public static final int SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED = 40408;
    /** Confluent error code: the schema is incompatible with an earlier version. */
    public static final int INCOMPATIBLE_SCHEMA = 409;
    /** Confluent error code: the schema is not valid. */
    public static final int INVALID_SCHEMA = 42201;
    /** Confluent error code: the version is not a valid version id. */
    public static final int INVALID_VERSION = 42202;
    /** Confluent error code: the compatibility level is not one the registry knows. */
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    /** Confluent error code: the registry's backend store failed. */
    public static final int BACKEND_STORE_ERROR = 50001;
    /** Confluent error code: the registry's operation timed out. */
    public static final int OPERATION_TIMEOUT = 50002;
    /** Error code used here when no answer came back at all. */
    public static final int NO_ANSWER = -1;

    private final int status;
    private final int errorCode;

    public SchemaRegistryException(String message, int status, int errorCode, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** The HTTP status the registry answered with, or -1 when it did not answer. */
    public int status() {
        return status;
    }

    /** Confluent's error code, such as 40401; -1 when the registry did not answer. */
    public int errorCode() {
        return errorCode;
    }

    /** Whether the registry said that the schema, subject or version does not exist. */
    public boolean isNotFound() {
        return status == 404;
    }

    /** Whether the registry refused a schema as incompatible with an earlier version. */
    public boolean isIncompatible() {
        return errorCode == INCOMPATIBLE_SCHEMA;
    }

    /** Describes a Confluent error code in words, for messages. */
    static String describe(int errorCode) {
        return switch (errorCode) {
            case SUBJECT_NOT_FOUND -> "subject not found";
            case VERSION_NOT_FOUND -> "version not found";
            case SCHEMA_NOT_FOUND -> "schema not found";
            case SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED -> "no subject-level compatibility configured";
            case INCOMPATIBLE_SCHEMA -> "incompatible schema";
            case INVALID_SCHEMA -> "invalid schema";
            case INVALID_VERSION -> "invalid version";
            case INVALID_COMPATIBILITY_LEVEL -> "invalid compatibility level";
            case BACKEND_STORE_ERROR -> "registry backend store error";
            case OPERATION_TIMEOUT -> "registry operation timed out";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            default -> "registry error";
        };
    }
}
