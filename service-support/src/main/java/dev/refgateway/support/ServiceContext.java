package dev.refgateway.support;

import dev.refgateway.discovery.ConsulSettings;
import dev.refgateway.support.db.Database;

import io.helidon.config.Config;

import org.kiwiproject.consul.Consul;

/**
 * What a service's routes may use: its configuration, its database, and Consul (to find other services).
 *
 * @param config         the root configuration
 * @param serviceName    the logical name registered in Consul
 * @param database       this service's own database
 * @param consul         a Consul client
 * @param consulSettings how the client reaches Consul
 */
public record ServiceContext(Config config,
                             String serviceName,
                             Database database,
                             Consul consul,
                             ConsulSettings consulSettings) {
}
