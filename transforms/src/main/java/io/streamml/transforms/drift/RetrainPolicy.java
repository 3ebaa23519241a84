package io.streamml.transforms.drift;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import io.streamml.schemas.RetrainTrigger;
import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * When drift should ask for retraining, so that one incident gives one trigger: a window counts as
 * drifted when at least {@link #datasetDriftShare} of the features drifted (data drift) or the
 * score drifted (prediction drift); a trigger fires after {@link #windowsToTrigger} drifted windows
 * in a row, then the policy disarms until {@link #windowsToRearm} calm windows in a row
 * (hysteresis), and never fires twice within {@link #cooldown} of event time. An optional schedule
 * asks for retraining when none was asked for {@link #schedule}.
 */
public final class RetrainPolicy implements Serializable {

  private static final long serialVersionUID = 1L;

  private final double datasetDriftShare;
  private final int windowsToTrigger;
  private final int windowsToRearm;
  private final Duration cooldown;
  private final @Nullable Duration schedule;

  private RetrainPolicy(
      double datasetDriftShare,
      int windowsToTrigger,
      int windowsToRearm,
      Duration cooldown,
      @Nullable Duration schedule) {
    this.datasetDriftShare = datasetDriftShare;
    this.windowsToTrigger = windowsToTrigger;
    this.windowsToRearm = windowsToRearm;
    this.cooldown = cooldown;
    this.schedule = schedule;
  }

  /** Half the features, two windows in a row, two calm windows to re-arm, six hours apart. */
  public static RetrainPolicy defaults() {
    return new RetrainPolicy(0.5, 2, 2, Duration.standardHours(6), null);
  }

  public RetrainPolicy withDatasetDriftShare(double share) {
    checkArgument(share > 0 && share <= 1, "dataset drift share must be in (0, 1], got %s", share);
    return new RetrainPolicy(share, windowsToTrigger, windowsToRearm, cooldown, schedule);
  }

  public RetrainPolicy withWindowsToTrigger(int windows) {
    checkArgument(windows >= 1, "windowsToTrigger must be >= 1, got %s", windows);
    return new RetrainPolicy(datasetDriftShare, windows, windowsToRearm, cooldown, schedule);
  }

  public RetrainPolicy withWindowsToRearm(int windows) {
    checkArgument(windows >= 1, "windowsToRearm must be >= 1, got %s", windows);
    return new RetrainPolicy(datasetDriftShare, windowsToTrigger, windows, cooldown, schedule);
  }

  public RetrainPolicy withCooldown(Duration cooldown) {
    checkArgument(!cooldown.isShorterThan(Duration.ZERO), "negative cooldown %s", cooldown);
    return new RetrainPolicy(
        datasetDriftShare, windowsToTrigger, windowsToRearm, cooldown, schedule);
  }

  public RetrainPolicy withSchedule(Duration every) {
    checkArgument(every.getMillis() > 0, "schedule must be positive, got %s", every);
    return new RetrainPolicy(datasetDriftShare, windowsToTrigger, windowsToRearm, cooldown, every);
  }

  public double datasetDriftShare() {
    return datasetDriftShare;
  }

  /** The policy's memory between windows, per segment. */
  public static final class State implements Serializable {
    private static final long serialVersionUID = 1L;
    int driftedInARow;
    int calmInARow;
    boolean armed = true;
    @Nullable Long lastTriggerMillis;
    @Nullable Long firstWindowMillis;
  }

  /**
   * Feeds one window's outcome (windows in event-time order) and returns the reason to retrain now,
   * or null. {@code windowEndMillis} is the window's end.
   */
  public RetrainTrigger.@Nullable Reason next(
      State state, long windowEndMillis, double driftedShare, boolean scoreDrifted) {
    if (state.firstWindowMillis == null) {
      state.firstWindowMillis = windowEndMillis;
    }
    boolean drifted = driftedShare >= datasetDriftShare || scoreDrifted;
    if (drifted) {
      state.driftedInARow++;
      state.calmInARow = 0;
    } else {
      state.calmInARow++;
      state.driftedInARow = 0;
      if (state.calmInARow >= windowsToRearm) {
        state.armed = true;
      }
    }
    boolean coolingDown =
        state.lastTriggerMillis != null
            && windowEndMillis - state.lastTriggerMillis < cooldown.getMillis();
    RetrainTrigger.Reason reason = null;
    if (drifted && state.armed && state.driftedInARow >= windowsToTrigger && !coolingDown) {
      reason =
          driftedShare >= datasetDriftShare
              ? RetrainTrigger.Reason.DATA_DRIFT
              : RetrainTrigger.Reason.PREDICTION_DRIFT;
      state.armed = false;
    } else if (schedule != null && !coolingDown) {
      long since =
          state.lastTriggerMillis != null ? state.lastTriggerMillis : state.firstWindowMillis;
      if (windowEndMillis - since >= schedule.getMillis()) {
        reason = RetrainTrigger.Reason.SCHEDULE;
      }
    }
    if (reason != null) {
      state.lastTriggerMillis = windowEndMillis;
    }
    return reason;
  }
}
