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
 *
 * <p>With {@link #withMinAuc}, windows of measured model quality (from delayed labels) count as bad
 * when their AUC is below the minimum, and the same in-a-row, re-arm and cool-down rules give
 * {@code PERFORMANCE_DROP} triggers; windows with fewer than {@link #minLabelled} labelled scores
 * are not judged (AUC on a handful of labels is noise).
 */
public final class RetrainPolicy implements Serializable {

  private static final long serialVersionUID = 1L;

  private final double datasetDriftShare;
  private final int windowsToTrigger;
  private final int windowsToRearm;
  private final Duration cooldown;
  private final @Nullable Duration schedule;
  private final @Nullable Double minAuc;
  private final long minLabelled;

  private RetrainPolicy(
      double datasetDriftShare,
      int windowsToTrigger,
      int windowsToRearm,
      Duration cooldown,
      @Nullable Duration schedule,
      @Nullable Double minAuc,
      long minLabelled) {
    this.datasetDriftShare = datasetDriftShare;
    this.windowsToTrigger = windowsToTrigger;
    this.windowsToRearm = windowsToRearm;
    this.cooldown = cooldown;
    this.schedule = schedule;
    this.minAuc = minAuc;
    this.minLabelled = minLabelled;
  }

  private RetrainPolicy copy(
      double share, int toTrigger, int toRearm, Duration cooldown, @Nullable Duration schedule) {
    return new RetrainPolicy(share, toTrigger, toRearm, cooldown, schedule, minAuc, minLabelled);
  }

  /** Half the features, two windows in a row, two calm windows to re-arm, six hours apart. */
  public static RetrainPolicy defaults() {
    return new RetrainPolicy(
        0.5, 2, 2, Duration.standardHours(6), null, null, DEFAULT_MIN_LABELLED);
  }

  /** Labelled scores a window needs before its AUC is judged, unless told otherwise. */
  public static final long DEFAULT_MIN_LABELLED = 200;

  public RetrainPolicy withDatasetDriftShare(double share) {
    checkArgument(share > 0 && share <= 1, "dataset drift share must be in (0, 1], got %s", share);
    return copy(share, windowsToTrigger, windowsToRearm, cooldown, schedule);
  }

  public RetrainPolicy withWindowsToTrigger(int windows) {
    checkArgument(windows >= 1, "windowsToTrigger must be >= 1, got %s", windows);
    return copy(datasetDriftShare, windows, windowsToRearm, cooldown, schedule);
  }

  public RetrainPolicy withWindowsToRearm(int windows) {
    checkArgument(windows >= 1, "windowsToRearm must be >= 1, got %s", windows);
    return copy(datasetDriftShare, windowsToTrigger, windows, cooldown, schedule);
  }

  public RetrainPolicy withCooldown(Duration cooldown) {
    checkArgument(!cooldown.isShorterThan(Duration.ZERO), "negative cooldown %s", cooldown);
    return copy(datasetDriftShare, windowsToTrigger, windowsToRearm, cooldown, schedule);
  }

  public RetrainPolicy withSchedule(Duration every) {
    checkArgument(every.getMillis() > 0, "schedule must be positive, got %s", every);
    return copy(datasetDriftShare, windowsToTrigger, windowsToRearm, cooldown, every);
  }

  /** A window's AUC below {@code auc} counts as a performance drop. */
  public RetrainPolicy withMinAuc(double auc) {
    checkArgument(auc > 0 && auc <= 1, "minimum AUC must be in (0, 1], got %s", auc);
    return new RetrainPolicy(
        datasetDriftShare, windowsToTrigger, windowsToRearm, cooldown, schedule, auc, minLabelled);
  }

  /** A window with fewer labelled scores than {@code labelled} is not judged on its AUC. */
  public RetrainPolicy withMinLabelled(long labelled) {
    checkArgument(labelled >= 1, "minLabelled must be >= 1, got %s", labelled);
    return new RetrainPolicy(
        datasetDriftShare, windowsToTrigger, windowsToRearm, cooldown, schedule, minAuc, labelled);
  }

  public double datasetDriftShare() {
    return datasetDriftShare;
  }

  public @Nullable Double minAuc() {
    return minAuc;
  }

  public long minLabelled() {
    return minLabelled;
  }

  /** The policy's memory between windows, per segment. */
  public static final class State implements Serializable {
    private static final long serialVersionUID = 1L;
    int driftedInARow;
    int calmInARow;
    boolean armed = true;
    @Nullable Long lastTriggerMillis;
    @Nullable Long firstWindowMillis;
    @Nullable Long lastJudgedWindowEnd;
  }

  /**
   * Feeds one window's drift outcome (windows in event-time order) and returns the reason to
   * retrain now, or null. {@code windowEndMillis} is the window's end.
   */
  public RetrainTrigger.@Nullable Reason next(
      State state, long windowEndMillis, double driftedShare, boolean scoreDrifted) {
    boolean drifted = driftedShare >= datasetDriftShare || scoreDrifted;
    return judge(
        state,
        windowEndMillis,
        drifted,
        driftedShare >= datasetDriftShare
            ? RetrainTrigger.Reason.DATA_DRIFT
            : RetrainTrigger.Reason.PREDICTION_DRIFT,
        true);
  }

  /**
   * Feeds one window's measured quality (windows in event-time order): a drop when its AUC is below
   * {@link #minAuc}. A window with too few labels, without an AUC, or a later pane of a window
   * already judged (a late label refired it) changes nothing and returns null.
   */
  public RetrainTrigger.@Nullable Reason nextPerformance(
      State state, long windowEndMillis, long labelled, @Nullable Double auc) {
    if (minAuc == null
        || labelled < minLabelled
        || auc == null
        || (state.lastJudgedWindowEnd != null && windowEndMillis <= state.lastJudgedWindowEnd)) {
      return null;
    }
    state.lastJudgedWindowEnd = windowEndMillis;
    // The schedule is the drift triggers' to keep; judged here too it would fire twice.
    return judge(
        state, windowEndMillis, auc < minAuc, RetrainTrigger.Reason.PERFORMANCE_DROP, false);
  }

  private RetrainTrigger.@Nullable Reason judge(
      State state,
      long windowEndMillis,
      boolean bad,
      RetrainTrigger.Reason reasonIfBad,
      boolean scheduled) {
    if (state.firstWindowMillis == null) {
      state.firstWindowMillis = windowEndMillis;
    }
    if (bad) {
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
    if (bad && state.armed && state.driftedInARow >= windowsToTrigger && !coolingDown) {
      reason = reasonIfBad;
      state.armed = false;
    } else if (scheduled && schedule != null && !coolingDown) {
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
