package dev.racelab.internal.lab;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One command to a Redis or Sentinel server over a plain socket, for the lab's readiness checks:
 * racelab-core's Redis client is an optional dependency, and a check needs only a line or two.
 */
final class RespProbe {
    private static final int TIMEOUT_MS = 1000;

    private RespProbe() {
    }

    /** The reply as text (bulk or simple string), or empty when the server does not answer (yet). */
    static Optional<String> text(String host, int port, String... command) {
        return reply(host, port, command).map(r -> r instanceof String text ? text : null);
    }

    /** The reply's items as text (an array reply, such as Sentinel's address of a primary), or empty when there is none. */
    static Optional<List<String>> list(String host, int port, String... command) {
        return reply(host, port, command).map(r -> r instanceof List<?> items
                ? items.stream().map(String::valueOf).toList() : null);
    }

    private static Optional<Object> reply(String host, int port, String... command) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder("*").append(command.length).append("\r\n");
            for (String arg : command) {
                request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
            }
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return Optional.ofNullable(read(new BufferedInputStream(socket.getInputStream())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        switch (type) {
            case '+': return line;
            case '-': return null; // an error reply: not ready
            case ':': return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) return null;
                byte[] body = in.readNBytes(length + 2);
                return new String(body, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < count; i++) items.add(read(in));
                return items;
            }
            default: throw new IOException("not a RESP reply");
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) throw new IOException("connection closed");
            sb.append((char) c);
        }
        in.read(); // '\n'
        return sb.toString();
    }
}
