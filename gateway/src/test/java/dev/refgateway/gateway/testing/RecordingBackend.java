package dev.refgateway.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.refgateway.discovery.registration.ConsulRegistrar;
import dev.refgateway.discovery.registration.HealthCheckSettings;
import dev.refgateway.discovery.registration.ServiceRegistration;

import org.kiwiproject.consul.Consul;

/**
 * An instance on a raw server socket, registered in Consul, that records every request byte for byte and answers
 * with whatever bytes a test scripts — broken framing included, which no real server library would send. Requests
 * are read by a deliberately simple parser of its own (head up to the empty line, then {@code Content-Length}
 * bytes or a chunked body to its last chunk), independent of the gateway's. Health checks are answered 200 and not
 * recorded.
 */
public final class RecordingBackend implements AutoCloseable {

    /**
     * One request as it arrived.
     *
     * @param head       the request line and header section, CRLFs included
     * @param body       the body bytes as they came on the wire (chunk framing included)
     * @param connection which connection it came on (0 for the first the backend accepted, then 1, ...)
     */
    public record Received(String head, String body, int connection) {

        /** The request line. */
        public String requestLine() {
            return head.substring(0, head.indexOf("\r\n"));
        }

        /** The request target of the request line. */
        public String target() {
            return requestLine().split(" ")[1];
        }

        /** Whether the head has a header of this name (case-insensitive). */
        public boolean hasHeader(String name) {
            return header(name) != null;
        }

        /** The first value of a header (case-insensitive), or null. */
        public String header(String name) {
            return RawAnswer.header(head, name);
        }
    }

    /** What the backend answers: writes the whole answer; returns whether the connection stays open. */
    @FunctionalInterface
    public interface Responder {
        boolean respond(Received request, OutputStream out) throws IOException;
    }

    private final String service;
    private final ServerSocket server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile Responder responder;
    private ConsulRegistrar registrar;

    private RecordingBackend(String service, Responder responder) throws IOException {
        this.service = service;
        this.responder = responder;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("recording-backend-" + service).start(this::accept);
    }

    /** Starts an instance of {@code service} answering with {@code responder}, registered in Consul. */
    public static RecordingBackend start(String service, Consul consul, Responder responder) {
        try {
            RecordingBackend backend = new RecordingBackend(service, responder);
            backend.registrar = ConsulRegistrar.start(consul, new ServiceRegistration(
                    service, backend.id(), "127.0.0.1", backend.port(), List.of("test"), Map.of("version", "test"),
                    HealthCheckSettings.defaults()));
            return backend;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A responder that always answers the same bytes and keeps the connection. */
    public static Responder always(String answer) {
        return (request, out) -> {
            out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return true;
        };
    }

    /** A plain 200 with a small fixed body naming the request target. */
    public static Responder ok() {
        return (request, out) -> {
            String body = "ok " + request.target();
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                              .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return true;
        };
    }

    /** Answers with {@code responder} from now on. */
    public void respondWith(Responder responder) {
        this.responder = responder;
    }

    public String id() {
        return ServiceRegistration.defaultInstanceId(service, "127.0.0.1", port());
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Every request but health checks, in arrival order. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Connections accepted (health checks' included). */
    public int connections() {
        return connections.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                int index = connections.getAndIncrement();
                Thread.ofVirtual().start(() -> serve(socket, index));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket, int index) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                String body = readBody(in, head);
                Received request = new Received(head, body, index);
                if (request.target().startsWith(HealthCheckSettings.DEFAULT_PATH)) {
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    continue;
                }
                received.add(request);
                if (!responder.respond(request, out)) {
                    return;
                }
            }
        } catch (IOException e) {
            // the peer went away
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] bytes = head.toByteArray();
            int n = bytes.length;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static String readBody(InputStream in, String head) throws IOException {
        String lower = head.toLowerCase(Locale.ROOT);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (lower.contains("\r\ntransfer-encoding: chunked")) {
            while (true) {
                String line = readLine(in);
                body.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                int size = Integer.parseInt(line.split(";")[0].strip(), 16);
                if (size == 0) {
                    String end;
                    do {
                        end = readLine(in);
                        body.write((end + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    } while (!end.isEmpty());
                    return body.toString(StandardCharsets.ISO_8859_1);
                }
                body.write(in.readNBytes(size + 2));
            }
        }
        int at = lower.indexOf("\r\ncontent-length:");
        if (at >= 0) {
            int end = lower.indexOf("\r\n", at + 2);
            int length = Integer.parseInt(lower.substring(at + 17, end).strip());
            body.write(in.readNBytes(length));
        }
        return body.toString(StandardCharsets.ISO_8859_1);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /** Deregisters, stops accepting and closes every connection. */
    @Override
    public void close() {
        if (registrar != null) {
            registrar.deregister();
        }
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
