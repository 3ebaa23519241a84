package io.streamml.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Ports for servers a test starts in other processes, which must be told their port up front. */
final class FreePorts {

  private FreePorts() {}

  /**
   * A loopback port that was free a moment ago. Another process may take it before ours binds it,
   * which on a test machine is rare enough that a clear bind error in the server's log suffices.
   */
  static int next() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free loopback port", e);
    }
  }
}
