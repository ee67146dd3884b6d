/**
 * What every feature package shares and nothing else: the base of the exceptions that become
 * problem answers, the JSON mapper, and a byte-capped input stream.
 */
package io.lrnn.server.common;
