package io.streamml.runners.dataflow;

import com.google.api.services.dataflow.model.DataflowPackage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.runners.dataflow.util.PackageUtil.StagedFile;
import org.apache.beam.runners.dataflow.util.Stager;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Stages a Dataflow job's files into a local folder beside the job specification instead of Cloud
 * Storage, so a job can be translated and inspected without a Google Cloud account. The resulting
 * specification points at local files: it documents the job, it cannot be launched.
 */
public final class LocalFolderStager implements Stager {

  private final Path folder;

  private LocalFolderStager(Path folder) {
    this.folder = folder;
  }

  /** Called by Dataflow's {@code StagerFactory} for {@code --stagerClass}. */
  public static LocalFolderStager fromOptions(PipelineOptions options) {
    String template = options.as(DataflowPipelineOptions.class).getTemplateLocation();
    if (template == null) {
      throw new IllegalArgumentException("LocalFolderStager needs --templateLocation=FILE");
    }
    Path spec = Paths.get(template).toAbsolutePath();
    return new LocalFolderStager(spec.resolveSibling(spec.getFileName() + ".staging"));
  }

  @Override
  public List<DataflowPackage> stageFiles(List<StagedFile> files) {
    List<DataflowPackage> packages = new ArrayList<>();
    for (StagedFile file : files) {
      Path target = prepare(file.getDestination());
      try {
        Files.copy(Paths.get(file.getSource()), target, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot stage " + file.getSource(), e);
      }
      packages.add(asPackage(file.getDestination(), target));
    }
    return packages;
  }

  @Override
  public DataflowPackage stageToFile(byte[] bytes, String name) {
    Path target = prepare(name);
    try {
      Files.write(target, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot stage " + name, e);
    }
    return asPackage(name, target);
  }

  private Path prepare(String name) {
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create staging folder " + folder, e);
    }
    return folder.resolve(Paths.get(name).getFileName());
  }

  private static DataflowPackage asPackage(String name, Path target) {
    return new DataflowPackage().setName(name).setLocation(target.toUri().toString());
  }
}
