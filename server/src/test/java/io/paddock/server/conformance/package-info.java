/**
 * Conformance suite: the same tests run against Paddock and against the reference Apache
 * ZooKeeper 3.9.5 server, using the real Apache Java client and hand-built frames
 * ({@link io.paddock.server.conformance.RawClient}). Every test passes on Apache, so each one
 * encodes Apache's observed behaviour.
 *
 * <p>Backends come from {@code -Dconformance.backends} (default {@code paddock,apache}). The
 * embedded Apache server needs {@code io.dropwizard.metrics:metrics-core} and
 * {@code org.xerial.snappy:snappy-java} on the test class path (both are "provided" in
 * Apache's pom). Apache caches the super digest in a static field at class load, so the super-user
 * test runs Apache in a child JVM ({@link io.paddock.server.conformance.ChildApacheServer}).
 * Container and TTL reaping are not covered: the embedded Apache server runs no container manager.
 */
package io.paddock.server.conformance;
