package org.nas4j.search;

/**
 * Where a search's trials run when not on this machine ({@code nas search --cluster}): the
 * cluster's master URL, and the data its tasks receive through the cluster's file distribution
 * ({@code --cluster-files}; null: they read the spec's data path, which every host must reach).
 */
public record Cluster(String master, ShippedData data) {
}
