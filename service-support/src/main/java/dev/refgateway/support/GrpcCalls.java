package dev.refgateway.support;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * What {@link InstanceIdFilter} and {@link InFlightRequests} do for HTTP, for gRPC calls: every call counts as in
 * flight until it is closed or cancelled (shutdown waits for it), and its response headers carry
 * {@code x-instance-id}.
 */
final class GrpcCalls implements ServerInterceptor {

    static final Metadata.Key<String> X_INSTANCE_ID = Metadata.Key.of("x-instance-id",
                                                                      Metadata.ASCII_STRING_MARSHALLER);

    private final Supplier<String> instanceId;
    private final InFlightRequests inFlight;

    GrpcCalls(Supplier<String> instanceId, InFlightRequests inFlight) {
        this.instanceId = instanceId;
        this.inFlight = inFlight;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        inFlight.started();
        TrackedCall<Q, R> tracked = new TrackedCall<>(call);
        try {
            return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
                    next.startCall(tracked, headers)) {
                @Override
                public void onCancel() {
                    try {
                        super.onCancel();
                    } finally {
                        tracked.ended();
                    }
                }
            };
        } catch (RuntimeException e) {
            tracked.ended();
            throw e;
        }
    }

    private final class TrackedCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {

        private final AtomicBoolean ended = new AtomicBoolean();

        TrackedCall(ServerCall<Q, R> call) {
            super(call);
        }

        @Override
        public void sendHeaders(Metadata responseHeaders) {
            responseHeaders.put(X_INSTANCE_ID, instanceId.get());
            super.sendHeaders(responseHeaders);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            try {
                super.close(status, trailers);
            } finally {
                ended();
            }
        }

        void ended() {
            if (ended.compareAndSet(false, true)) {
                inFlight.ended();
            }
        }
    }
}
