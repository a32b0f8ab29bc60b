package io.cxpulse.cli;

import picocli.CommandLine.Option;

/** Where events are sent, for {@code simulate} and {@code import}: the ingest service's URL and a bearer token. */
final class IngestTarget {
    @Option(names = "--url", defaultValue = "${env:CXPULSE_INGEST_URL:-http://127.0.0.1:8080}",
            description = "Ingest service base URL (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--token", defaultValue = "${env:CXPULSE_TOKEN:-dev-token}", description = "Bearer token.")
    String token;

    /** Whether the ingest service answers ready; when not, says so and how to start it. */
    boolean ready() {
        if (Http.ok(url + "/health/ready")) {
            return true;
        }
        System.err.println("The ingest service at " + url + " is not ready; start it with ./cxpulse up");
        return false;
    }
}
