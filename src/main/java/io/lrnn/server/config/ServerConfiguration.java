package io.lrnn.server.config;

import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Binds {@link LrnnProperties}, turns on scheduled tasks and provides the clock. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(LrnnProperties.class)
class ServerConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
