package io.lrnn.server.store;

import com.zaxxer.hikari.HikariDataSource;
import io.lrnn.server.config.LrnnProperties;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * Gives the connection pool {@code lrnn.store.connection-timeout} (Hikari's default is 30 s, which
 * is how long every job or data-set request hung during an outage) and half of it as the
 * validation timeout. Applied after Spring bound {@code spring.datasource.hikari.*}, so this
 * validated setting wins, and before the pool opens its first connection.
 */
@Component
class PoolTimeouts implements BeanPostProcessor {

    /** Hikari refuses less than this for either timeout. */
    private static final Duration HIKARI_FLOOR = Duration.ofMillis(250);

    private final ObjectProvider<LrnnProperties> properties;

    /** Lazily: a post-processor is created before the properties bean can be. */
    PoolTimeouts(ObjectProvider<LrnnProperties> properties) {
        this.properties = properties;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool) {
            Duration timeout = properties.getObject().store().connectionTimeout();
            pool.setConnectionTimeout(timeout.toMillis());
            pool.setValidationTimeout(validationTimeout(timeout).toMillis());
        }
        return bean;
    }

    static Duration validationTimeout(Duration connectionTimeout) {
        Duration half = connectionTimeout.dividedBy(2);
        return half.compareTo(HIKARI_FLOOR) < 0 ? HIKARI_FLOOR : half;
    }
}
