package io.lrnn.server.config;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds {@link LrnnProperties}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LrnnProperties.class)
class ServerConfiguration {
}
