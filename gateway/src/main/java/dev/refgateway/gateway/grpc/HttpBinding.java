package dev.refgateway.gateway.grpc;

import io.helidon.http.Method;

import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;

/**
 * One {@code google.api.http} rule of a gRPC method: the HTTP method and path template that call it, where the
 * request body goes and what of the answer is the response body.
 *
 * @param httpMethod   GET, POST, PUT, PATCH, DELETE, or a custom rule's method
 * @param template     the path template
 * @param body         {@code *} (the whole request message), a field's name, or empty (no body: every field not in
 *                     the path comes from the query)
 * @param responseBody a field of the answer to send instead of the whole message, or empty
 * @param method       the gRPC method
 * @param call         the method as grpc-java calls it, its messages marshalled as {@link DynamicMessage}s
 */
record HttpBinding(Method httpMethod, PathTemplate template, String body, String responseBody,
                   Descriptors.MethodDescriptor method, MethodDescriptor<DynamicMessage, DynamicMessage> call) {

    /** A rule of {@code method}; the call's descriptor is derived from it. */
    static HttpBinding of(Method httpMethod, PathTemplate template, String body, String responseBody,
                          Descriptors.MethodDescriptor method) {
        MethodDescriptor<DynamicMessage, DynamicMessage> call = MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
                .setType(method.isServerStreaming() ? MethodDescriptor.MethodType.SERVER_STREAMING
                                 : MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(method.getService().getFullName(),
                                                                           method.getName()))
                .setRequestMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(method.getInputType())))
                .setResponseMarshaller(ProtoUtils.marshaller(
                        DynamicMessage.getDefaultInstance(method.getOutputType())))
                .build();
        return new HttpBinding(httpMethod, template, body, responseBody, method, call);
    }

    /** Whether the method answers with a stream of messages. */
    boolean serverStreaming() {
        return method.isServerStreaming();
    }

}
