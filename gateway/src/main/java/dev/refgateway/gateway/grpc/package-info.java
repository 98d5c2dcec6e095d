/**
 * Translation of HTTP/JSON requests into gRPC calls (Envoy's {@code grpc_json_transcoder}, grpc-gateway): a route
 * names a proto service, the {@code google.api.http} annotations of its methods in a descriptor set say which
 * request goes to which method, protobuf's JSON mapping converts the messages, and the answer comes back as an
 * {@link dev.refgateway.gateway.relay.UpstreamResponse} — so failover, the relay, metrics and the access log treat a
 * gRPC instance as they treat an HTTP one.
 */
package dev.refgateway.gateway.grpc;
