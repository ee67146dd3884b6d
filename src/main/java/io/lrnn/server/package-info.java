/**
 * The LRNN Serve microservice: Spring Boot wiring around the engine. Features live in
 * sub-packages (models, predict, web, config).
 */
package io.lrnn.server;
