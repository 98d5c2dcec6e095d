package dev.refgateway.gateway.grpc;

import java.nio.charset.StandardCharsets;

import dev.refgateway.gateway.http1.MalformedMessage;
import dev.refgateway.gateway.relay.UpstreamResponse;

import io.grpc.Metadata;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GrpcAnswersTest {

    private static Metadata.Key<String> key(String name) {
        return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
    }

    @Test
    void anInstancesHeadersGoAlongExceptGrpcsOwnBinaryAndContentOnes() {
        Metadata headers = new Metadata();
        headers.put(key("x-instance-id"), "orders-1");
        headers.put(key("grpc-accept-encoding"), "gzip");
        headers.put(key("content-encoding"), "gzip");
        headers.put(Metadata.Key.of("trace-bin", Metadata.BINARY_BYTE_MARSHALLER), new byte[] {1, 2});

        UpstreamResponse answer = GrpcAnswers.message(headers, "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(answer.headers().first(io.helidon.http.HeaderNames.create("x-instance-id"))).contains("orders-1");
        assertThat(answer.headers().contains(io.helidon.http.HeaderNames.create("grpc-accept-encoding"))).isFalse();
        assertThat(answer.headers().contains(io.helidon.http.HeaderNames.CONTENT_ENCODING)).isFalse();
        assertThat(answer.headers().contains(io.helidon.http.HeaderNames.create("trace-bin"))).isFalse();
        assertThat(answer.headers().first(io.helidon.http.HeaderNames.CONTENT_TYPE)).contains("application/json");
    }

    @Test
    void aHeaderValueWithALineBreakMakesTheAnswerInvalidRatherThanSplitTheClientsAnswer() {
        Metadata headers = new Metadata();
        headers.put(key("x-note"), "1\r\nSet-Cookie: s=evil");

        assertThatThrownBy(() -> GrpcAnswers.message(headers, new byte[0]))
                .isInstanceOf(MalformedMessage.class).hasMessageContaining("x-note");
    }

    @Test
    void requestHeadersBecomeMetadataWithoutWhatGrpcReserves() {
        io.helidon.http.WritableHeaders<?> http = io.helidon.http.WritableHeaders.create();
        http.add(io.helidon.http.HeaderValues.create("X-Request-Id", "r-1"));
        http.add(io.helidon.http.HeaderValues.create("grpc-timeout", "1S"));
        http.add(io.helidon.http.HeaderValues.create("TE", "trailers"));
        http.add(io.helidon.http.HeaderValues.create("Content-Type", "application/json"));
        http.add(io.helidon.http.HeaderValues.create("X-Weird", "caf\u00e9"));

        Metadata metadata = GrpcAnswers.metadata(http);

        assertThat(metadata.get(key("x-request-id"))).isEqualTo("r-1");
        assertThat(metadata.keys()).containsExactly("x-request-id");
    }
}
