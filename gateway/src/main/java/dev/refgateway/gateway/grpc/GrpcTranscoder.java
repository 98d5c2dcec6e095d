package dev.refgateway.gateway.grpc;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import dev.refgateway.discovery.ServiceInstance;
import dev.refgateway.gateway.failover.NoAnswerInTime;
import dev.refgateway.gateway.problem.GatewayProblem;
import dev.refgateway.gateway.problem.Refusal;
import dev.refgateway.gateway.relay.UpstreamResponse;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.Method;

import com.google.protobuf.DynamicMessage;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.Status;

/**
 * HTTP/JSON in, gRPC to an instance, HTTP/JSON out.
 * <pre>
 * translate: the route's proto service → the rule taking (method, path) → the request message (body, query, path)
 * call:      one call on the instance's channel, the deadline = the attempt's read timeout (sent as grpc-timeout)
 *            → the first message (or the status) is the answer's head, as an HTTP answer's status line is
 * </pre>
 * What failover must tell apart comes out as it does from the HTTP client: a connection never made is a
 * {@link ConnectException} (safe to retry anything), no answer in time a {@link NoAnswerInTime}, a
 * connection broken under the call an {@link IOException}; a status the instance sent is an answer
 * ({@link StatusMapping}: UNAVAILABLE is a 503, which a route retries elsewhere).
 */
public final class GrpcTranscoder implements AutoCloseable {

    /** A request translated: the rule that took it and the message to send. */
    public static final class Translated {
        private final HttpBinding binding;
        private final DynamicMessage message;
        private final MessageStream.Format format;
        private final String path;

        private Translated(HttpBinding binding, DynamicMessage message, MessageStream.Format format, String path) {
            this.binding = binding;
            this.message = message;
            this.format = format;
            this.path = path;
        }

        /** The gRPC method, {@code package.Service/Method}: for logs and tests. */
        public String method() {
            return binding.call().getFullMethodName();
        }
    }

    /** How translation ended: a call to make, or a refusal to render. */
    public sealed interface Translation {
        /** The request is a call of the returned method. */
        record Call(Translated request) implements Translation {
        }

        /** The request cannot be translated. */
        record Refused(Refusal refusal) implements Translation {
        }
    }

    private static final int JSON_CHARS_PER_MESSAGE_BYTE = 8;

    private final GrpcSettings settings;
    private final GrpcChannels channels;
    private final JsonMessages json;
    private final com.google.protobuf.util.JsonFormat.Parser parser;

    /**
     * @param settings       the descriptor sets and limits
     * @param connectTimeout how long a connection to an instance may take
     * @param idleTimeout    an instance's connection with no call for this long is closed
     */
    public GrpcTranscoder(GrpcSettings settings, Duration connectTimeout, Duration idleTimeout) {
        this.settings = settings;
        this.channels = new GrpcChannels(connectTimeout, idleTimeout, settings.maxMessageBytes());
        // JSON is wordier than protobuf's wire format, but a message's JSON far beyond it is an abuse of the heap
        this.json = new JsonMessages(settings.apis().types(), JSON_CHARS_PER_MESSAGE_BYTE * settings.maxMessageBytes());
        this.parser = settings.apis().parser();
    }

    /**
     * Finds the rule of {@code service} that takes the request and builds its message.
     *
     * @param path        the path as the instance would get it (the route's rewrite applied), raw
     * @param rawQuery    the query as the client sent it, or null
     * @param body        the whole request body (empty for none)
     * @param eventStream whether the client accepts {@code text/event-stream} (a stream is then sent as events)
     */
    public Translation translate(String service, Method method, String path, String rawQuery, byte[] body,
                                 boolean eventStream) {
        List<HttpBinding> bindings = settings.apis().bindings(service).orElse(List.of());
        List<String> allowed = new ArrayList<>();
        for (HttpBinding binding : bindings) {
            Map<String, String> values = binding.template().match(path);
            if (values == null) {
                continue;
            }
            if (!binding.httpMethod().equals(method)) {
                allowed.add(binding.httpMethod().text());
                continue;
            }
            try {
                DynamicMessage message = RequestMessages.build(binding, values, rawQuery, body, parser);
                MessageStream.Format format = eventStream ? MessageStream.Format.EVENT_STREAM
                        : MessageStream.Format.NDJSON;
                return new Translation.Call(new Translated(binding, message, format, path));
            } catch (RequestMessages.InvalidRequest e) {
                return new Translation.Refused(Refusal.of(GatewayProblem.INVALID_GRPC_REQUEST,
                        binding.method().getFullName() + ": " + e.getMessage()));
            }
        }
        if (!allowed.isEmpty()) {
            String allow = String.join(", ", new TreeSet<>(allowed));
            return new Translation.Refused(Refusal.of(GatewayProblem.GRPC_METHOD_NOT_ALLOWED,
                    method.text() + " " + path + " (expected: " + allow + ")")
                    .with(HeaderValues.create(HeaderNames.ALLOW, allow)));
        }
        return new Translation.Refused(Refusal.of(GatewayProblem.GRPC_METHOD_NOT_FOUND,
                "no method of " + service + " is bound to " + method.text() + " " + path));
    }

    /**
     * Calls the instance and reads the head of its answer within {@code readTimeout}.
     *
     * @param headers the request headers an HTTP instance would get (the call's metadata)
     */
    public UpstreamResponse call(ServiceInstance instance, Translated request, Headers headers, Duration readTimeout)
            throws IOException {
        HttpBinding binding = request.binding;
        boolean streaming = binding.serverStreaming();
        CallOptions options = CallOptions.DEFAULT;
        if (!streaming) {
            // grpc-java sends it as grpc-timeout: the instance can give up when the gateway would
            options = options.withDeadlineAfter(readTimeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        GrpcCall call = GrpcCall.start(channels.channel(instance.host(), instance.port()), binding.call(), options,
                                       GrpcAnswers.metadata(headers), request.message);
        long deadline = System.nanoTime() + readTimeout.toNanos();
        Metadata responseHeaders = null;
        byte[] message = null;
        try {
            while (true) {
                GrpcCall.Event event = call.next(deadline - System.nanoTime());
                switch (event) {
                    case null -> {
                        call.cancel("no answer within the read timeout");
                        throw new NoAnswerInTime(binding.call().getFullMethodName() + ": no answer within "
                                                         + readTimeout.toMillis() + " ms");
                    }
                    case GrpcCall.Event.Headers h -> responseHeaders = h.metadata();
                    case GrpcCall.Event.Message m -> {
                        byte[] text = json.print(m.message(), binding.responseBody());
                        if (streaming) {
                            return GrpcAnswers.stream(responseHeaders, request.format, new MessageStream(
                                    call, json, request.format, binding.responseBody(), settings.streamIdleTimeout(),
                                    request.path, text));
                        }
                        if (message != null) {
                            call.cancel("a second message");
                            throw new IOException(binding.call().getFullMethodName()
                                                          + ": the instance sent two answers to a unary call");
                        }
                        message = text;
                    }
                    case GrpcCall.Event.Closed closed -> {
                        return closed(closed.status(), responseHeaders, message, streaming, request, binding);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel("interrupted");
            throw new InterruptedIOException("interrupted while calling " + binding.call().getFullMethodName());
        } catch (IOException | RuntimeException e) {
            call.cancel("the answer could not be used");
            throw e;
        }
    }

    private static UpstreamResponse closed(Status status, Metadata headers, byte[] message, boolean streaming,
                                           Translated request, HttpBinding binding) throws IOException {
        String method = binding.call().getFullMethodName();
        if (status.isOk()) {
            if (streaming) {
                return GrpcAnswers.stream(headers, request.format, java.io.InputStream.nullInputStream());
            }
            if (message == null) {
                throw new IOException(method + ": the instance closed a unary call with OK and no message");
            }
            return GrpcAnswers.message(headers, message);
        }
        Throwable cause = status.getCause();
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException) {
                throw (ConnectException) new ConnectException(method + ": " + t.getMessage()).initCause(t);
            }
        }
        if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
            throw new NoAnswerInTime(method + ": " + status.getDescription());
        }
        // A status grpc-java made itself (the connection broke, an answer it could not read or that was too
        // large, a stream the instance's side reset) is not the instance's answer: a failure, as a reset or a
        // garbled HTTP answer is. The gateway cancels a call only after it stopped reading it, so a CANCELLED here
        // came from the other side.
        if (cause != null || status.getCode() == Status.Code.CANCELLED
                || status.getCode() == Status.Code.RESOURCE_EXHAUSTED && status.getDescription() != null
                && status.getDescription().contains("exceeds maximum")) {
            throw new IOException(method + ": " + status.getCode() + " " + status.getDescription(), cause);
        }
        return GrpcAnswers.status(headers, status, request.path);
    }

    @Override
    public void close() {
        channels.close();
    }
}
