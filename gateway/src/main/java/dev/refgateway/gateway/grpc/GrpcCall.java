package dev.refgateway.gateway.grpc;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.DynamicMessage;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;

/**
 * One call to one instance, read by the request's own (virtual) thread: grpc-java delivers the answer's events to a
 * queue, {@link #next} takes them one at a time with a time limit. One message is asked for at a time, so a client
 * that reads a stream slowly slows the instance down rather than filling the gateway's memory.
 */
final class GrpcCall extends ClientCall.Listener<DynamicMessage> {

    /** What an instance sent: its response headers, a message, or the end with its status. */
    sealed interface Event {
        record Headers(Metadata metadata) implements Event {
        }

        record Message(DynamicMessage message) implements Event {
        }

        record Closed(Status status, Metadata trailers) implements Event {
        }
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final ClientCall<DynamicMessage, DynamicMessage> call;
    private volatile boolean closed;

    private GrpcCall(ClientCall<DynamicMessage, DynamicMessage> call) {
        this.call = call;
    }

    /** Starts the call: sends the headers and the one request message, then waits for nothing. */
    static GrpcCall start(Channel channel, MethodDescriptor<DynamicMessage, DynamicMessage> method,
                          CallOptions options, Metadata headers, DynamicMessage request) {
        GrpcCall grpcCall = new GrpcCall(channel.newCall(method, options));
        grpcCall.call.start(grpcCall, headers);
        grpcCall.call.sendMessage(request);
        grpcCall.call.halfClose();
        grpcCall.call.request(1);
        return grpcCall;
    }

    /** The next event, or null when none came within {@code timeoutNanos}. */
    Event next(long timeoutNanos) throws InterruptedException {
        Event event = events.poll(Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
        if (event instanceof Event.Message) {
            call.request(1);
        }
        return event;
    }

    /** Cancels the call unless it is over: the instance stops its work, the connection stays. */
    void cancel(String why) {
        if (!closed) {
            call.cancel(why, null);
        }
    }

    @Override
    public void onHeaders(Metadata headers) {
        events.add(new Event.Headers(headers));
    }

    @Override
    public void onMessage(DynamicMessage message) {
        events.add(new Event.Message(message));
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
        closed = true;
        events.add(new Event.Closed(status, trailers));
    }
}
