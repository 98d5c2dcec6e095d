package dev.refgateway.gateway.grpc;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PathTemplateTest {

    @Test
    void aVariableTakesOneWholeSegment() {
        PathTemplate template = PathTemplate.parse("/v1/orders/{id}");

        assertThat(template.match("/v1/orders/42")).isEqualTo(Map.of("id", "42"));
        assertThat(template.match("/v1/orders/42/items")).isNull();
        assertThat(template.match("/v1/orders/")).isNull();
        assertThat(template.match("/v1/orders")).isNull();
        assertThat(template.match("/v1/order/42")).isNull();
        assertThat(template.match("/v1/ordersx/42")).isNull();
    }

    @Test
    void aVerbMustEndThePathAndIsNotPartOfTheVariable() {
        PathTemplate watch = PathTemplate.parse("/v1/orders/{id}:watch");

        assertThat(watch.match("/v1/orders/42:watch")).isEqualTo(Map.of("id", "42"));
        assertThat(watch.match("/v1/orders/42")).isNull();
        assertThat(watch.match("/v1/orders/42:cancel")).isNull();
        assertThat(watch.literalCount()).isGreaterThan(PathTemplate.parse("/v1/orders/{id}").literalCount());
    }

    @Test
    void nestedFieldsAndMultiSegmentVariablesBind() {
        assertThat(PathTemplate.parse("/v1/{book.name=shelves/*/books/*}").match("/v1/shelves/1/books/2"))
                .isEqualTo(Map.of("book.name", "shelves/1/books/2"));
        assertThat(PathTemplate.parse("/files/{path=**}").match("/files/a/b/c"))
                .isEqualTo(Map.of("path", "a/b/c"));
        assertThat(PathTemplate.parse("/v1/{a}/x/{b}").match("/v1/1/x/2")).containsExactly(
                Map.entry("a", "1"), Map.entry("b", "2"));
        assertThat(PathTemplate.parse("/v1/*/items").match("/v1/anything/items")).isEmpty();
    }

    @Test
    void escapesAreDecodedButAnEncodedSlashStaysInAMultiSegmentVariable() {
        assertThat(PathTemplate.parse("/v1/users/{name}").match("/v1/users/J%C3%BCrgen%20M"))
                .isEqualTo(Map.of("name", "Jürgen M"));
        assertThat(PathTemplate.parse("/v1/users/{name}").match("/v1/users/a%2Fb"))
                .isEqualTo(Map.of("name", "a/b"));
        assertThat(PathTemplate.parse("/files/{path=**}").match("/files/a%2Fb/c"))
                .isEqualTo(Map.of("path", "a%2Fb/c"));
    }

    @Test
    void malformedTemplatesAreRefusedNamingWhatIsExpected() {
        assertThatThrownBy(() -> PathTemplate.parse("v1/orders")).hasMessageContaining("starts with /");
        assertThatThrownBy(() -> PathTemplate.parse("/v1/{id")).hasMessageContaining("closed by }");
        assertThatThrownBy(() -> PathTemplate.parse("/v1/{1d}")).hasMessageContaining("a field path");
        assertThatThrownBy(() -> PathTemplate.parse("/v1/{id}/{id}")).hasMessageContaining("bound once");
        assertThatThrownBy(() -> PathTemplate.parse("/v1/**/x")).hasMessageContaining("** only as the last");
        assertThatThrownBy(() -> PathTemplate.parse("/v1/x{id}")).hasMessageContaining("(\"x{id}\")");
        assertThatThrownBy(() -> PathTemplate.parse("/v1/{id}x")).hasMessageContaining("whole segment");
        assertThatThrownBy(() -> PathTemplate.parse("/v1//x")).hasMessageContaining("segments of");
    }

    /** Whatever a client puts in a segment (encoded as a client must), the variable gets it back exactly. */
    @Property(tries = 500)
    void anyTextInASegmentComesBackDecoded(@ForAll @StringLength(min = 1, max = 30) String value) {
        String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");

        Map<String, String> bound = PathTemplate.parse("/v1/orders/{id}").match("/v1/orders/" + encoded);

        assertThat(bound).isEqualTo(Map.of("id", value));
    }

    /** No path, however odd, makes matching throw: it matches or it does not. */
    @Property(tries = 1000)
    void matchingNeverThrows(@ForAll @StringLength(max = 40) String path) {
        PathTemplate.parse("/v1/{a=x/*}/b/{c}:go").match(path);
        PathTemplate.parse("/files/{path=**}").match(path);
    }
}
