package io.lrnn.server.web;

import io.lrnn.server.config.LrnnProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Registers the API-key check, the multipart path check and then the body size limit, early in the chain (after the
 * observation filter, so rejected requests still show in {@code http.server.requests}).
 */
@Configuration(proxyBeanMethods = false)
class WebFiltersConfiguration {

    /** Just after Spring's encoding (HIGHEST_PRECEDENCE) and observation (+1) filters. */
    static final int API_KEY_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;
    static final int MULTIPART_ORDER = API_KEY_ORDER + 1;
    static final int BODY_SIZE_ORDER = MULTIPART_ORDER + 1;

    @Bean
    FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(LrnnProperties properties) {
        LrnnProperties.Security security = properties.security();
        FilterRegistrationBean<ApiKeyFilter> registration =
                new FilterRegistrationBean<>(new ApiKeyFilter(security.apiKey(), security.protectPredict()));
        registration.setOrder(API_KEY_ORDER);
        return registration;
    }

    @Bean
    FilterRegistrationBean<MultipartPathFilter> multipartPathFilter() {
        FilterRegistrationBean<MultipartPathFilter> registration = new FilterRegistrationBean<>(new MultipartPathFilter());
        registration.setOrder(MULTIPART_ORDER);
        return registration;
    }

    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(LrnnProperties properties) {
        FilterRegistrationBean<BodySizeLimitFilter> registration =
                new FilterRegistrationBean<>(new BodySizeLimitFilter(properties.predict().maxBodySize().toBytes()));
        registration.setOrder(BODY_SIZE_ORDER);
        return registration;
    }
}
