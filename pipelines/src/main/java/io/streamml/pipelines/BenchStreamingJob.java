package io.streamml.pipelines;

import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The scoring job of a Kafka stream benchmark, started in a daemon thread (an attached runner
 * blocks in {@code run()}), watched for failure and cancelled at the end.
 */
final class BenchStreamingJob {

  private static final long STOP_WAIT_MILLIS = 30_000;

  private final AtomicReference<PipelineResult> result = new AtomicReference<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  private BenchStreamingJob() {}

  static BenchStreamingJob start(Pipeline pipeline, String name) {
    BenchStreamingJob job = new BenchStreamingJob();
    Thread thread =
        new Thread(
            () -> {
              try {
                job.result.set(pipeline.run());
              } catch (Throwable e) {
                job.failure.set(e);
              }
            },
            name + "-job");
    thread.setDaemon(true);
    thread.start();
    return job;
  }

  /** Throws if the job or the watcher of its scores failed. */
  void failIfFailed(BenchScoreWatcher scores) {
    Throwable job = failure.get();
    if (job != null) {
      throw new IllegalStateException("The scoring job failed: " + job.getMessage(), job);
    }
    Throwable watcher = scores.failure();
    if (watcher != null) {
      throw new IllegalStateException(
          "Reading the scores topic failed: " + watcher.getMessage(), watcher);
    }
  }

  /** The running job, or null while the runner keeps it attached. */
  @Nullable PipelineResult result() {
    return result.get();
  }

  /** Whether the runner handed back the running job (detached), so that it can be stopped. */
  boolean detached() {
    return result.get() != null;
  }

  /** Cancels the job and waits a while for it to end, so that it no longer competes for CPU. */
  void stop(PrintStream out) {
    PipelineResult running = result.get();
    if (running == null) {
      return;
    }
    try {
      running.cancel();
      long deadline = System.currentTimeMillis() + STOP_WAIT_MILLIS;
      while (!running.getState().isTerminal() && System.currentTimeMillis() < deadline) {
        Thread.sleep(200);
      }
    } catch (IOException | RuntimeException e) {
      out.println("could not cancel the benchmark's job: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
