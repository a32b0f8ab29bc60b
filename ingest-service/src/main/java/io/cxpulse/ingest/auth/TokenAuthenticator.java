package io.cxpulse.ingest.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.cxpulse.ingest.EventType;

import org.apache.kafka.common.config.ConfigException;

/**
 * Checks {@code Authorization: Bearer <token>} against the configured sources, in constant time: every
 * configured token is compared (as SHA-256 digests, so lengths leak nothing) whichever matches.
 *
 * <p>Credentials are written {@code source:token} or {@code source:token:type|type}, separated by commas or new
 * lines, where a type is an endpoint name such as {@code ticket-events}; without types a source may send all.
 */
public final class TokenAuthenticator {
    private record Credential(Source source, byte[] digest) {
    }

    private final List<Credential> credentials;

    private TokenAuthenticator(List<Credential> credentials) {
        this.credentials = List.copyOf(credentials);
    }

    /** Parses credentials; {@code key} names the setting in error messages (tokens themselves are never shown). */
    public static TokenAuthenticator parse(String spec, String key) {
        List<Credential> credentials = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String entry : spec.split("[,\\n]")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] parts = trimmed.split(":", 3);
            if (parts.length < 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new ConfigException(key, "(hidden)", "each entry must be source:token or source:token:types");
            }
            String name = parts[0].trim();
            if (!names.add(name)) {
                throw new ConfigException(key, "(hidden)", "source '" + name + "' is configured twice");
            }
            Set<EventType> allowed = EnumSet.allOf(EventType.class);
            if (parts.length == 3) {
                allowed = EnumSet.noneOf(EventType.class);
                for (String type : parts[2].split("\\|")) {
                    EventType parsed = EventType.fromPath(type.trim()).orElseThrow(() -> new ConfigException(key,
                            "(hidden)", "source '" + name + "' names unknown event type '" + type.trim()
                                    + "'; use survey-responses, ticket-events or touchpoints"));
                    allowed.add(parsed);
                }
            }
            credentials.add(new Credential(new Source(name, allowed), sha256(parts[1].trim())));
        }
        if (credentials.isEmpty()) {
            throw new ConfigException(key, "(hidden)", "at least one source:token is required");
        }
        return new TokenAuthenticator(credentials);
    }

    /** The source whose token the header carries, if any. */
    public Optional<Source> authenticate(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        byte[] given = sha256(authorizationHeader.substring(7).trim());
        Source match = null;
        for (Credential credential : credentials) {
            if (MessageDigest.isEqual(given, credential.digest()) && match == null) {
                match = credential.source();
            }
        }
        return Optional.ofNullable(match);
    }

    /** The configured source names, for the start-up log. */
    public List<String> sourceNames() {
        return credentials.stream().map(c -> c.source().name()).toList();
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
