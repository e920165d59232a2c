/**
 * nas4j as a library: load and check a spec ({@link org.nas4j.api.NasSpec}), build a child of it as
 * a plain DJL block, search it with a strategy and the team's own evaluator
 * ({@link org.nas4j.api.Search}), and read a run directory ({@link org.nas4j.api.SearchResult#read}).
 * This package, {@link org.nas4j.train.DatasetPlugin} and {@link org.nas4j.search.EvaluatorPlugin}
 * are nas4j's public API; every other package is internal and may change in any release.
 */
package org.nas4j.api;
