package dev.refgateway.gateway.settings;

import java.util.List;

import dev.refgateway.gateway.admin.AdminSettings;
import dev.refgateway.gateway.config.Option;
import dev.refgateway.gateway.config.Options;
import dev.refgateway.gateway.cors.CorsRules;
import dev.refgateway.gateway.edge.EdgeSettings;
import dev.refgateway.gateway.failover.RetrySettings;
import dev.refgateway.gateway.failover.RoutePolicy;
import dev.refgateway.gateway.grpc.GrpcSettings;
import dev.refgateway.gateway.ratelimit.RateLimit;
import dev.refgateway.gateway.ratelimit.RateLimitRedisSettings;
import dev.refgateway.gateway.ratelimit.RateLimitSettings;
import dev.refgateway.gateway.relay.ProxySettings;
import dev.refgateway.gateway.security.ApiKey;
import dev.refgateway.gateway.security.FailedAuthLimit;
import dev.refgateway.gateway.security.JwtSettings;
import dev.refgateway.gateway.security.SecuritySettings;
import dev.refgateway.gateway.upstream.BulkheadSettings;
import dev.refgateway.gateway.upstream.CircuitBreakerSettings;
import dev.refgateway.gateway.upstream.DiscoverySettings;
import dev.refgateway.gateway.upstream.OutlierSettings;

/**
 * The configuration reference, {@code docs/configuration.md}, written from the option tables themselves: every key,
 * its type, default, rule and description, in the order the file reads. A test keeps the page equal to what this
 * class writes, and {@code application.yaml} naming every key with its default ({@code make config-reference}
 * rewrites the page).
 */
public final class ConfigurationReference {

    private ConfigurationReference() {
    }

    /** Every option table, in the order of the reference. */
    public static List<Options> tables() {
        return List.of(AdminSettings.OPTIONS, GatewaySettings.OPTIONS, EdgeSettings.LIMITS, EdgeSettings.ACCESS_LOG,
                       RoutePolicy.OPTIONS, RetrySettings.OPTIONS, OutlierSettings.OPTIONS,
                       CircuitBreakerSettings.OPTIONS, BulkheadSettings.OPTIONS, ProxySettings.OPTIONS,
                       SecuritySettings.OPTIONS, FailedAuthLimit.OPTIONS, ApiKey.OPTIONS, JwtSettings.OPTIONS,
                       RateLimitSettings.OPTIONS, RateLimitRedisSettings.OPTIONS, CorsRules.OPTIONS,
                       DiscoverySettings.OPTIONS, GrpcSettings.OPTIONS, RouteReader.OPTIONS, RateLimit.OPTIONS);
    }

    /** The page. */
    public static String markdown() {
        StringBuilder page = new StringBuilder("""
                # Configuration reference

                <!-- Written by dev.refgateway.gateway.settings.ConfigurationReference from the option tables in the
                     code; `make config-reference` rewrites it, and `make test` fails when it is out of date. -->

                Every key the gateway reads, with its type, default and the values it accepts. Keys are read strictly:
                an unknown key, a wrong type or a value outside its rule stops the start with a message naming the full
                key, the value and what was expected (`gateway.outlier.max-ejection: "10s" (expected: >= base-ejection
                30s)`; "did you mean" for a misspelt key). `gateway/src/main/resources/application.yaml` names every key
                with its default and explains it; an environment variable overrides any key (`GATEWAY_PROXY_VIA=false`
                sets `gateway.proxy.via`; `_DASH_` stands for `-`; a list takes comma-separated values).

                Durations are written `250ms`, `15s`, `2m`, `1h`, or in ISO-8601 (`PT15S`), everywhere — the `server`
                keys too. Besides these tables: `server.*` are Helidon's own keys (port, host, `max-payload-size`,
                `idle-connection-timeout`, `protocols.http_1_1.*`), and `consul.url` / `consul.watch.*` belong to the
                service-discovery module.
                """);
        for (Options table : tables()) {
            page.append("\n## `").append(table.section()).append("`\n\n").append(table.summary()).append("\n\n");
            page.append("| key | type | default | accepts | what it does |\n|---|---|---|---|---|\n");
            for (Option<?> option : table.options()) {
                page.append("| `").append(option.key()).append("` | ").append(option.type()).append(" | ")
                        .append(code(option.shownDefault())).append(" | ").append(cell(option.rule())).append(" | ")
                        .append(cell(option.description())).append(" |\n");
            }
        }
        return page.toString();
    }

    private static String code(String text) {
        return text.isEmpty() ? "" : "`" + text.replace("|", "\\|") + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
