package dev.refgateway.gateway.http1;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.WritableHeaders;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Helidon's header-list helpers, as the gateway relies on them (docs/helidon.md): {@code Headers.values} splits a
 * list however it is spaced, and keeps a quoted comma inside its element ({@code HopByHopHeaders} reads the names
 * {@code Connection} lists with it); {@code Header.allValues(true)} does not, and is not used.
 */
class HelidonHeaderListsTest {

    @Test
    void headersValuesSplitsEveryValueAtEveryComma() {
        WritableHeaders<?> headers = WritableHeaders.create()
                .add(HeaderNames.CONNECTION, "keep-alive,X-Secret ,\tclose", "\"a,b\", x-other");

        assertThat(headers.values(HeaderNames.CONNECTION))
                .map(String::strip)
                .containsExactly("keep-alive", "X-Secret", "close", "\"a,b\"", "x-other");
    }

    /** Pinned: an upgrade that splits here too would let HopByHopHeaders use either. */
    @Test
    void allValuesSplitsOnlyAtACommaFollowedByASpace() {
        var header = HeaderValues.create(HeaderNames.CONNECTION, "close,x-secret");

        assertThat(header.allValues(true)).containsExactly("close,x-secret");
    }
}
