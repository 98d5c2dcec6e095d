package dev.refgateway.gateway.http1;

/**
 * A message that breaks HTTP/1.1's syntax or framing. The {@link #getMessage() message} names what was wrong in words
 * that are safe to show the sender (it never quotes more than a short, printable part of the input).
 */
public class MalformedMessage extends RuntimeException {

    public MalformedMessage(String reason) {
        super(reason, null, false, false);
    }
}
