package io.streamml.pipelines.cli;

import io.streamml.pipelines.EventProducer;
import java.io.PrintStream;

final class ProduceCommand implements Command<EventProducer.Options> {

  @Override
  public String name() {
    return "produce";
  }

  @Override
  public String summary() {
    return "replay simulated or file events into a Kafka topic at a chosen rate";
  }

  @Override
  public Class<EventProducer.Options> optionsClass() {
    return EventProducer.Options.class;
  }

  @Override
  public void run(EventProducer.Options options, String action, PrintStream out) throws Exception {
    EventProducer.run(options, out);
  }
}
