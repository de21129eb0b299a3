package dev.racelab.internal.store.jdbc;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import javax.net.SocketFactory;

/**
 * Sockets whose reads block in one system call. The JDK's plain socket turns non-blocking for
 * good once it connects or reads with a timeout (the driver always connects with one), and
 * each read that finds no answer yet then costs a read, a poll and a second read. A socket
 * channel's socket goes back to blocking after a timed connect or read. The MariaDB
 * and PostgreSQL drivers take this class by name ({@code socketFactory}): {@link JdbcUrls#withBlockingReads}.
 */
public final class BlockingSocketFactory extends SocketFactory {
    /** The driver makes one with this constructor, by reflection. */
    public BlockingSocketFactory() {
    }

    @Override
    public Socket createSocket() throws IOException {
        return SocketChannel.open().socket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private static Socket connected(InetSocketAddress remote, InetSocketAddress... local) throws IOException {
        Socket socket = SocketChannel.open().socket();
        try {
            if (local.length > 0) socket.bind(local[0]);
            socket.connect(remote);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }
}
