/**
 * The edge: what the gateway refuses before a request is routed, at the level of bytes on a client connection.
 * <p>
 * Every connection of the public and admin ports is read through a {@link dev.refgateway.gateway.edge.RequestFramer}
 * before Helidon's parser sees a byte: request heads checked strictly, framing judged by
 * {@link dev.refgateway.gateway.edge.RequestFraming}, the request-target made canonical once
 * ({@link dev.refgateway.gateway.http1.RequestTarget}), HTTP/1.0 served, chunked bodies decoded and re-framed,
 * {@code Connection: close} honoured. {@link dev.refgateway.gateway.edge.ClientConnections} caps how many connections
 * are open and cuts off heads and bodies that are too slow. A refusal here ends the connection: nothing after it is
 * ever read as a request.
 * <p>
 * Owns {@code gateway.limits} and {@code gateway.access-log} ({@link dev.refgateway.gateway.edge.EdgeSettings}). Uses
 * {@code http1} (syntax), {@code problem} (the answers) and {@code config}; nothing above.
 */
package dev.refgateway.gateway.edge;
