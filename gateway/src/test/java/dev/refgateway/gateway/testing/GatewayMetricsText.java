package dev.refgateway.gateway.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.refgateway.gateway.Gateway;

import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's Prometheus text ({@code /observe/metrics} on the admin port) and the samples in it, for tests. */
public final class GatewayMetricsText {

    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private GatewayMetricsText() {
    }

    /** Scrapes the gateway's metrics as Prometheus text. */
    public static String scrape(Gateway gateway) {
        try (Http1ClientResponse res = WebClient.builder().baseUri("http://127.0.0.1:" + gateway.adminPort()).build()
                .client(Http1Client.PROTOCOL).get("/observe/metrics").header(HeaderNames.ACCEPT, "text/plain")
                .request()) {
            assertThat(res.status().code()).isEqualTo(200);
            return res.as(String.class);
        }
    }

    /** The sum of the samples of {@code name} that carry every one of {@code labels}; empty when there is none. */
    public static OptionalDouble metric(String text, String name, Map<String, String> labels) {
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(name)) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String sampleName = brace >= 0 ? line.substring(0, brace) : line.substring(0, space);
            if (!sampleName.equals(name)) {
                continue;
            }
            Map<String, String> sampleLabels = new HashMap<>();
            if (brace >= 0) {
                Matcher matcher = LABEL.matcher(line.substring(brace, line.lastIndexOf('}')));
                while (matcher.find()) {
                    sampleLabels.put(matcher.group(1), matcher.group(2));
                }
            }
            if (sampleLabels.entrySet().containsAll(labels.entrySet())) {
                sum += Double.parseDouble(line.substring(space + 1));
                found = true;
            }
        }
        return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }
}
