package io.streamml.transforms.batch;

/**
 * Groups of keys for bounded (batch) grouping steps. A runner that pays per key group (the Direct
 * runner makes a bundle of each, and every downstream step then starts once per bundle) would spend
 * most of a batch job's time on thousands of tiny groups keyed by event id or entity; such steps
 * group by a shard of the key instead and regroup a shard's rows in memory. A shard holds about
 * {@code 1/count} of the rows, so the counts here are large enough for a cluster's parallelism and
 * small enough that a laptop's Direct runner stays fast.
 */
public final class BatchShards {

  /** Shards of joins by event id (drift's label and segment joins). */
  public static final int JOINS = 64;

  /** Shards of per-entity histories (trailing features over a bounded input). */
  public static final int HISTORIES = 32;

  private BatchShards() {}

  /** The shard of {@code key} among {@code count}, as a group key. */
  public static int of(String key, int count) {
    return Math.floorMod(key.hashCode(), count);
  }
}
