package io.streamml.pipelines;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's chromium, as .ci/run installs it; headless, so no display is needed. */
public final class Chromium {

  private Chromium() {}

  /** Runs chromium with {@code args} and returns its standard output (e.g. of --dump-dom). */
  public static String run(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue("chromium did not finish in 60 s", process.waitFor(60, TimeUnit.SECONDS));
    assertEquals("chromium " + args[args.length - 1], 0, process.exitValue());
    return stdout;
  }
}
