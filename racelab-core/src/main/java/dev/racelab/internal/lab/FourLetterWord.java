package dev.racelab.internal.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** ZooKeeper's four-letter words ({@code srvr}, {@code mntr}): one word sent on a new connection, the whole reply read until the server closes it. */
final class FourLetterWord {
    private static final int TIMEOUT_MS = 1_000;

    private FourLetterWord() {
    }

    /** The reply; empty when the server does not answer within a second. */
    static Optional<String> ask(String address, int port, String word) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(word.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
