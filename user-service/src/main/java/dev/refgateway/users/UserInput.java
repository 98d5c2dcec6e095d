package dev.refgateway.users;

import java.util.Locale;

import dev.refgateway.support.json.Fields;
import dev.refgateway.support.problem.ProblemException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * What a client may set on a user ({@code POST} and {@code PUT} bodies), validated and normalised.
 *
 * @param name  trimmed, 1 to {@value #MAX_NAME_LENGTH} characters (code points)
 * @param email trimmed and lower-cased, so uniqueness ignores case
 */
public record UserInput(String name, String email) {

    static final int MAX_NAME_LENGTH = 100;
    static final int MAX_EMAIL_LENGTH = 254;

    /**
     * Reads and validates {@code {"name": ..., "email": ...}}; other fields are ignored.
     *
     * @throws ProblemException 400 naming the first invalid field and its value
     */
    static UserInput from(JsonNode body) {
        return new UserInput(name(Fields.requiredText(body, "name")), email(Fields.requiredText(body, "email")));
    }

    private static String name(String raw) {
        String name = raw.strip();
        int length = name.codePointCount(0, name.length());
        if (length < 1 || length > MAX_NAME_LENGTH) {
            throw ProblemException.badRequest("name: " + length + " characters after trimming (expected: 1 to "
                                                      + MAX_NAME_LENGTH + ")");
        }
        return name;
    }

    private static String email(String raw) {
        // Lower-casing may lengthen a string ("İ" becomes two chars), so the length is checked afterwards.
        String email = raw.strip().toLowerCase(Locale.ROOT);
        if (email.length() > MAX_EMAIL_LENGTH) {
            throw ProblemException.badRequest("email: " + email.length() + " characters (expected: at most "
                                                      + MAX_EMAIL_LENGTH + ")");
        }
        if (!isWellFormed(email)) {
            throw Fields.invalid("email", TextNode.valueOf(raw), "an address like name@example.com");
        }
        return email;
    }

    /**
     * A pragmatic check, not RFC 5322: one {@code @}, a non-empty local part, a dotted domain without empty labels,
     * no whitespace or control characters. Whether the mailbox exists only a sent mail can tell.
     */
    private static boolean isWellFormed(String email) {
        int at = email.indexOf('@');
        if (at < 1 || at != email.lastIndexOf('@')) {
            return false;
        }
        String domain = email.substring(at + 1);
        if (domain.indexOf('.') < 0 || domain.startsWith(".") || domain.endsWith(".") || domain.contains("..")) {
            return false;
        }
        return email.codePoints().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)
                || Character.isSpaceChar(c));
    }
}
