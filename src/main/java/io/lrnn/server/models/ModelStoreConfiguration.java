package io.lrnn.server.models;

import io.lrnn.server.config.LrnnProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The file-system store under {@code lrnn.models.store-directory}, unless another store is defined. */
@Configuration(proxyBeanMethods = false)
class ModelStoreConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ModelStore fileSystemModelStore(LrnnProperties properties) {
        return new FileSystemModelStore(properties.models().storeDirectory());
    }
}
