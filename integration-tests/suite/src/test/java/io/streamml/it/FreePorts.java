package io.streamml.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Ports on the loopback address that nothing listens on, for servers a test starts. */
final class FreePorts {

  private FreePorts() {}

  /**
   * Returns {@code count} distinct free ports. All sockets are held open until every port is
   * picked, so the same port is never handed out twice; another process may still take one before
   * the caller binds it, which for a test on its own machine is rare enough to accept.
   */
  static int[] onLoopback(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }

  /** One free loopback port (see {@link #onLoopback}). */
  static int next() {
    try {
      return onLoopback(1)[0];
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("No free loopback port", e);
    }
  }
}
