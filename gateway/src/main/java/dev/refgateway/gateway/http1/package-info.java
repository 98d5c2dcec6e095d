/**
 * HTTP/1.1 message syntax, checked the same way on both sides of the gateway: the characters of tokens and field
 * values (RFC 9110 §5), field lines, the size lines of chunked framing (RFC 9112 §7.1), the chunked decoder, and
 * the canonical form of a request-target ({@link dev.refgateway.gateway.http1.RequestTarget}).
 * <p>
 * Used by {@code edge} (requests arriving from clients), {@code relay} (answers arriving from instances) and
 * {@code routing} (route paths are written in canonical form); it uses nothing of the gateway itself. Every check here is strict: where the RFC lets a recipient be lenient (bare
 * LF, obsolete line folding, whitespace before a colon), the gateway refuses, because two peers that are lenient in
 * different ways are how requests are smuggled.
 */
package dev.refgateway.gateway.http1;
