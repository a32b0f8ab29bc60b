package io.cxpulse.schemas.registry;

import java.util.List;

/**
 * The registry's answer to a compatibility check.
 *
 * @param compatible whether the schema is compatible
 * @param messages   the registry's reasons when it is not (may be empty)
 */
public record CompatibilityResult(boolean compatible, List<String> messages) {
    public CompatibilityResult {
        messages = List.copyOf(messages);
    }
}
