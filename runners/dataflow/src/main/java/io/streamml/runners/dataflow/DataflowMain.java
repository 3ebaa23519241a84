package io.streamml.runners.dataflow;

import io.streamml.pipelines.cli.StreammlCli;
import java.util.ArrayList;
import java.util.List;

/**
 * The Dataflow jar's entry point: the streamml CLI, plus {@code --jobSpecFile=FILE}, which
 * translates and validates the pipeline for Dataflow and writes the job specification to a local
 * file without a Google Cloud account or any network call. Without that flag, the job is submitted
 * to Dataflow as usual (which needs an account).
 */
public final class DataflowMain {

  static final String JOB_SPEC_FLAG = "--jobSpecFile=";

  private DataflowMain() {}

  public static void main(String[] args) {
    System.exit(StreammlCli.run(withJobSpecFlags(args), System.out, System.err));
  }

  /** Expands {@code --jobSpecFile} into Dataflow's own template flags, with offline stand-ins. */
  static String[] withJobSpecFlags(String[] args) {
    List<String> out = new ArrayList<>();
    String jobSpec = null;
    for (String arg : args) {
      if (arg.startsWith(JOB_SPEC_FLAG)) {
        jobSpec = arg.substring(JOB_SPEC_FLAG.length());
      } else {
        out.add(arg);
      }
    }
    if (jobSpec == null) {
      return args;
    }
    out.add("--templateLocation=" + jobSpec);
    out.add("--stagerClass=" + LocalFolderStager.class.getName());
    out.add("--pathValidatorClass=org.apache.beam.sdk.extensions.gcp.storage.NoopPathValidator");
    out.add(
        "--credentialFactoryClass=org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory");
    addDefault(out, "--project=", "streamml-dry-run");
    addDefault(out, "--region=", "us-central1");
    addDefault(out, "--tempLocation=", "gs://streamml-dry-run/tmp");
    // Set explicitly so Beam does not check the bucket over the network.
    String temp =
        out.stream().filter(a -> a.startsWith("--tempLocation=")).findFirst().orElseThrow();
    addDefault(out, "--gcpTempLocation=", temp.substring("--tempLocation=".length()));
    // Output folders are remote and untouched: nothing runs here.
    addDefault(out, "--clearOutput=", "false");
    return out.toArray(new String[0]);
  }

  private static void addDefault(List<String> args, String flag, String value) {
    if (args.stream().noneMatch(a -> a.startsWith(flag))) {
      args.add(flag + value);
    }
  }
}
