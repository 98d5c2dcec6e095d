package dev.refgateway.gateway.http1;

import java.nio.charset.StandardCharsets;


import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the canonical path, over request targets built from the characters that make paths ambiguous. The
 * decision is taken on the canonical form and the same form is forwarded, so what matters is that the form is
 * unique and stable: canonicalising it again changes nothing, and nothing a client sends ends in anything but a
 * canonical target or a refusal.
 */
class RequestTargetProperties {

    @Property(tries = 5000)
    void aTargetIsCanonicalisedOrRefusedNeverAnythingElse(@ForAll("targets") String target) {
        try {
            RequestTarget.canonical(target);
        } catch (MalformedMessage refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 5000)
    void theCanonicalFormIsAFixedPoint(@ForAll("targets") String target) {
        String canonical;
        try {
            canonical = RequestTarget.canonical(target).target();
        } catch (MalformedMessage refused) {
            return;
        }
        assertThat(RequestTarget.canonical(canonical).target()).isEqualTo(canonical);
        // and the check of a request line leaves it as it is: decision and forwarding see the same bytes
        RequestTarget again = check(canonical);
        assertThat(again == RequestTarget.UNCHANGED ? canonical : again.target()).isEqualTo(canonical);
    }

    @Property(tries = 5000)
    void theCanonicalPathHasNoSegmentThatAnInstanceCouldReadAnotherWay(@ForAll("targets") String target) {
        String canonical;
        try {
            canonical = RequestTarget.canonical(target).target();
        } catch (MalformedMessage refused) {
            return;
        }
        String path = canonical.contains("?") ? canonical.substring(0, canonical.indexOf('?')) : canonical;
        assertThat(path).startsWith("/").doesNotContain("//", "\\", ";", "#");
        for (String segment : path.split("/")) {
            assertThat(segment).isNotIn(".", "..");
        }
        // every escape left is upper case and stands for a reserved or non-ASCII byte, never a dot or a letter
        for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
            String hex = path.substring(i + 1, i + 3);
            assertThat(hex).matches("[0-9A-F]{2}");
            int value = Integer.parseInt(hex, 16);
            assertThat(value < 0x80 && Character.isLetterOrDigit(value) || value == '.' || value == '-' || value == '_'
                               || value == '~').as("escape %s", hex).isFalse();
            assertThat(value).as("escape %s", hex).isGreaterThanOrEqualTo(0x20).isNotEqualTo(0x7F).isNotEqualTo(0x5C);
        }
    }

    @Property(tries = 5000)
    void theFastPathNeverPassesWhatTheFullCanonicalisationWouldChange(@ForAll("targets") String target) {
        RequestTarget quick;
        try {
            quick = check(target);
        } catch (MalformedMessage refused) {
            return;
        }
        if (quick == RequestTarget.UNCHANGED) {
            assertThat(RequestTarget.canonical(target).target()).isEqualTo(target);
        }
    }

    @Provide
    Arbitrary<String> targets() {
        Arbitrary<String> pieces = Arbitraries.of("/", "/", "/", ".", "..", "%2e", "%2E", "%2f", "%2F", "%5c", "%00",
                                                  "%41", "%7e", "%c3%a9", "%", "%2", ";", "\\", "?", "#", "a", "b",
                                                  "users", "~", "-", ":", "@", "!", "=", "+", "x%20y", "%3B", "%25");
        Arbitrary<String> path = pieces.list().ofMaxSize(14).map(list -> String.join("", list));
        return Arbitraries.oneOf(path.map(p -> "/" + p), path.map(p -> "http://example.com/" + p), path);
    }

    private static RequestTarget check(String target) {
        byte[] bytes = target.getBytes(StandardCharsets.ISO_8859_1);
        return RequestTarget.check(bytes, 0, bytes.length);
    }
}
