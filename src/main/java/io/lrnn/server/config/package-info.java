/** Validated {@code @ConfigurationProperties} records bound from {@code lrnn.*} settings. */
package io.lrnn.server.config;
