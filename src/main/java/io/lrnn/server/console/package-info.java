/**
 * The web console: static pages in the jar (classpath {@code /console/}, served at {@code /} and
 * {@code /console/**}) that call the public HTTP API from the browser, with the API key the user
 * enters. It imports none of the features; the chart library comes from a WebJar under
 * {@code /webjars/**}.
 */
package io.lrnn.server.console;
