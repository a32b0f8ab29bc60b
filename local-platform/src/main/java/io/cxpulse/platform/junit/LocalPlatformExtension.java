package io.cxpulse.platform.junit;


import io.cxpulse.platform.LocalPlatform;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a real Kafka broker and schema registry, started once per test run and shared by every test
 * class that uses the extension; stopped when the run ends.
 *
 * <pre>{@code
 * @ExtendWith(LocalPlatformExtension.class)
 * class SomethingIT {
 *     @Test
 *     void works(LocalPlatform platform) { ... }
 * }
 * }</pre>
 */
public final class LocalPlatformExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LocalPlatformExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalPlatform.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared(context);
    }

    /** The platform shared by this test run, started on first use. */
    public static LocalPlatform shared(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(TemporaryPlatform.class, key -> TemporaryPlatform.start(),
                        TemporaryPlatform.class).platform();
    }
}
