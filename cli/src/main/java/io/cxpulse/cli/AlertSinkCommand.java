package io.cxpulse.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A webhook receiver for Alertmanager that logs every notification it gets, one line per alert: the receiver (the
 * last part of the path it was posted to), firing or resolved, the alert's name and labels, and its summary. It
 * stands in for the on-call tools in docker-compose, so that a notification can be seen to arrive.
 */
@Command(name = "alert-sink", mixinStandardHelpOptions = true,
        description = "Receive Alertmanager's webhook notifications and log them.")
final class AlertSinkCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    private CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(names = "--port", defaultValue = "9099", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    private int port;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        HttpServer server = start(host, port, out);
        out.printf("alert-sink listening on http://%s:%d/hooks/<receiver>%n", host,
                server.getAddress().getPort());
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    /** Starts the sink on {@code host}:{@code port} (0 for any free port), logging to {@code out}. */
    static HttpServer start(String host, int port, PrintWriter out) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext("/", exchange -> receive(exchange, out));
        server.start();
        return server;
    }

    private static void receive(HttpExchange exchange, PrintWriter out) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String receiver = path.substring(path.lastIndexOf('/') + 1);
        int status = 204;
        try (InputStream body = exchange.getRequestBody()) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                status = 405;
            } else {
                JsonNode notification = JSON.readTree(body);
                synchronized (out) {
                    for (JsonNode alert : notification.path("alerts")) {
                        out.println(line(receiver, alert));
                    }
                    out.flush();
                }
            }
        } catch (IOException e) {
            status = 400;
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    /** One alert as a log line: {@code receiver status alertname {labels} summary}. */
    static String line(String receiver, JsonNode alert) {
        Map<String, String> labels = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = alert.path("labels").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> label = it.next();
            if (!label.getKey().equals("alertname")) {
                labels.put(label.getKey(), label.getValue().asText());
            }
        }
        return receiver + " " + alert.path("status").asText("?") + " " + alert.path("labels").path("alertname")
                .asText("?") + " " + labels + " " + alert.path("annotations").path("summary").asText("");
    }
}
