package io.streamml.transforms.sim;

import java.util.SplittableRandom;

/**
 * Deterministic randomness keyed by (seed, purpose, indices): the same key gives the same stream on
 * every runner, worker and run, whatever order events are generated in.
 */
final class SimRandom {

  private SimRandom() {}

  /** A generator for one purpose (e.g. "card") and index path (e.g. card number). */
  static SplittableRandom of(long seed, String purpose, long... indices) {
    long state = mix(seed ^ purpose.hashCode() * 0x9E3779B97F4A7C15L);
    for (long index : indices) {
      state = mix(state + index * 0xBF58476D1CE4E5B9L);
    }
    return new SplittableRandom(state);
  }

  /** SplitMix64's finaliser: a bijective, well-spread 64-bit hash. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A normally distributed value (Box-Muller; one draw per call keeps streams simple). */
  static double gaussian(SplittableRandom random) {
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }

  /** Picks an index with probability proportional to its weight. */
  static int weighted(SplittableRandom random, double[] weights) {
    double total = 0;
    for (double weight : weights) {
      total += weight;
    }
    double pick = random.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      pick -= weights[i];
      if (pick < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
