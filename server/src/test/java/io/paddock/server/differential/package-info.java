/**
 * Differential test: one seeded random operation sequence, sent through the Apache ZooKeeper
 * Java client to two servers in lock step, with every result compared.
 *
 * <ul>
 *   <li>{@link io.paddock.server.differential.DifferentialTest} runs it
 *       ({@code -Ddifferential.pair=apache,paddock}, {@code -Ddifferential.seed},
 *       {@code -Ddifferential.ops}, {@code -Ddifferential.dump});
 *       {@link io.paddock.server.differential.DifferentialComparatorTest} proves the comparison
 *       catches perturbed results.</li>
 *   <li>{@link io.paddock.server.differential.OpGenerator} and
 *       {@link io.paddock.server.differential.KeySpace} choose operations;
 *       {@link io.paddock.server.differential.DifferentialRun} executes them and records a
 *       {@link io.paddock.server.differential.Trace};
 *       {@link io.paddock.server.differential.TraceComparator} compares.</li>
 *   <li>Normalised before comparing: child lists, ephemeral lists and whoAmI identities are
 *       sorted; session ids become session numbers; zxids are compared by order
 *       ({@link io.paddock.server.differential.ZxidCorrespondence}); times only for
 *       consistency with each server's own zxid order
 *       ({@link io.paddock.server.differential.TimeOrder}); watch events are compared per
 *       client at checkpoints.</li>
 * </ul>
 */
package io.paddock.server.differential;
